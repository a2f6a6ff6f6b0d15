package org.wgkaraf.engine.crypto;

import java.util.Locale;
import java.util.Optional;

/** The implementations of the transport AEAD; {@link Transport} picks one per JVM. */
public enum TransportProvider {
    BC("bc", BcTransportCipher.FACTORY),
    JCE("jce", JceTransportCipher.FACTORY),
    /** Our own, {@link JavaTransportCipher}. */
    JAVA("java", JavaTransportCipher.FACTORY);

    private final String id;
    private final TransportCipher.Factory factory;

    TransportProvider(String id, TransportCipher.Factory factory) {
        this.id = id;
        this.factory = factory;
    }

    /** The name used by the system property {@value Transport#PROPERTY}: "bc", "jce" or "java". */
    public String id() {
        return id;
    }

    public TransportCipher.Factory factory() {
        return factory;
    }

    /** Only the JDK's may be missing (a JDK without ChaCha20-Poly1305); the others are always there. */
    public boolean isAvailable() {
        return this != JCE || JceTransportCipher.isAvailable();
    }

    /**
     * True when sealing and opening allocate on the heap per packet (the JDK's cipher): garbage
     * that a short calibration hardly sees, so such a provider must win by a margin.
     */
    public boolean allocatesPerPacket() {
        return this == JCE;
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
