package org.wgkaraf.engine.crypto;

import java.util.Locale;
import java.util.Optional;

/** The two implementations of the transport AEAD; {@link Transport} picks one per JVM. */
public enum TransportProvider {
    BC("bc", BcTransportCipher.FACTORY),
    JCE("jce", JceTransportCipher.FACTORY);

    private final String id;
    private final TransportCipher.Factory factory;

    TransportProvider(String id, TransportCipher.Factory factory) {
        this.id = id;
        this.factory = factory;
    }

    /** The name used by the system property {@value Transport#PROPERTY}: "bc" or "jce". */
    public String id() {
        return id;
    }

    public TransportCipher.Factory factory() {
        return factory;
    }

    public boolean isAvailable() {
        return this == BC || JceTransportCipher.isAvailable();
    }

    public static Optional<TransportProvider> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (TransportProvider p : values()) {
            if (p.id.equals(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
