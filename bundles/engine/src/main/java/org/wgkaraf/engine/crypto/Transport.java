package org.wgkaraf.engine.crypto;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link TransportCipher.Factory} the engine uses: BouncyCastle's or the JDK's
 * ChaCha20-Poly1305, whichever is faster on the running JDK (see
 * {@link TransportChoice.Calibration#preferred()}). The first call measures both (about 150 ms, once
 * per JVM); the system property {@value #PROPERTY} = bc | jce skips the measurement and decides.
 */
public final class Transport {
    public static final String PROPERTY = "wgkaraf.aead";
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    private Transport() {
    }

    public static TransportCipher.Factory factory() {
        return choice().provider().factory();
    }

    /** The provider in use and how it was chosen; measures on the first call. */
    public static TransportChoice choice() {
        return Chosen.CHOICE;
    }

    /** Holder idiom: the class initialiser runs once, on first use, and is thread-safe. */
    private static final class Chosen {
        static final TransportChoice CHOICE = choose(System.getProperty(PROPERTY), TransportCalibration.DEFAULT_BUDGET_NANOS);

        static {
            LOG.info("Transport AEAD: {}", CHOICE);
        }
    }

    static TransportChoice choose(String property, long budgetNanos) {
        Optional<TransportProvider> forced = TransportProvider.byId(property);
        if (property != null && forced.isEmpty()) {
            LOG.warn("Ignoring {}={}: expected bc or jce; measuring instead", PROPERTY, property);
        }
        if (!TransportProvider.JCE.isAvailable()) {
            if (forced.orElse(null) == TransportProvider.JCE) {
                LOG.warn("{}=jce, but this JDK has no ChaCha20-Poly1305; using bc", PROPERTY);
            }
            return new TransportChoice(TransportProvider.BC, TransportChoice.Basis.ONLY_AVAILABLE, Optional.empty());
        }
        if (forced.isPresent()) {
            return new TransportChoice(forced.get(), TransportChoice.Basis.PROPERTY, Optional.empty());
        }
        TransportChoice.Calibration c = TransportCalibration.run(budgetNanos);
        return new TransportChoice(c.preferred(), TransportChoice.Basis.MEASURED, Optional.of(c));
    }
}
