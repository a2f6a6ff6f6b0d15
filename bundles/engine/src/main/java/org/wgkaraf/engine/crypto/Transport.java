package org.wgkaraf.engine.crypto;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link TransportCipher.Factory} the engine uses: BouncyCastle's, the JDK's or our own
 * ({@link JavaTransportCipher}) ChaCha20-Poly1305, whichever is fastest on the running JDK. The
 * first call to {@link #factory()} starts a calibration on a background thread (at least
 * {@value TransportCalibration#DEFAULT_BUDGET_MILLIS} ms and longer while the JIT is still
 * compiling or a provider still getting faster, at most five times that; once per JVM, so that
 * steady-state speed is compared, not warm-up); until it ends, BouncyCastle's allocation-free
 * cipher is used, and every keypair made afterwards uses the winner. Tunnel start is never
 * delayed. The system property {@value #PROPERTY} = bc | jce | java skips the measurement and
 * decides.
 */
public final class Transport {
    public static final String PROPERTY = "wgkaraf.aead";
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final Object LOCK = new Object();
    private static volatile TransportChoice current;
    private static Thread calibration;

    /** Creates ciphers of the provider chosen at the time of each keypair. */
    private static final TransportCipher.Factory AUTO = new TransportCipher.Factory() {
        @Override
        public String name() {
            return choice().provider().id();
        }

        @Override
        public TransportCipher create(byte[] key) {
            return choice().provider().factory().create(key);
        }
    };

    private Transport() {
    }

    public static TransportCipher.Factory factory() {
        start();
        return AUTO;
    }

    /** The provider in use now and how it was chosen (PROVISIONAL while the calibration runs). */
    public static TransportChoice choice() {
        start();
        return current;
    }

    /** Waits for the calibration to end (benchmarks and tests); returns the final choice. */
    public static TransportChoice awaitChoice() throws InterruptedException {
        start();
        Thread t;
        synchronized (LOCK) {
            t = calibration;
        }
        if (t != null) {
            t.join();
        }
        return current;
    }

    private static void start() {
        if (current != null) {
            return;
        }
        synchronized (LOCK) {
            if (current != null) {
                return;
            }
            String property = System.getProperty(PROPERTY);
            TransportChoice fixed = decideWithoutMeasuring(property);
            if (fixed != null) {
                current = fixed;
                LOG.info("Transport AEAD: {}", fixed);
                return;
            }
            current = new TransportChoice(TransportProvider.BC, TransportChoice.Basis.PROVISIONAL, Optional.empty());
            Thread t = new Thread(() -> {
                TransportChoice measured = measure(TransportCalibration.DEFAULT_BUDGET_MILLIS * 1_000_000L);
                current = measured;
                LOG.info("Transport AEAD: {}", measured);
            }, "wg-aead-calibration");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            calibration = t;
            t.start();
        }
    }

    /** The choice when the property names an available provider, else null (measure). */
    static TransportChoice decideWithoutMeasuring(String property) {
        Optional<TransportProvider> forced = TransportProvider.byId(property);
        if (property != null && forced.isEmpty()) {
            LOG.warn("Ignoring {}={}: expected bc, jce or java; measuring instead", PROPERTY, property);
        }
        if (forced.isPresent() && !forced.get().isAvailable()) {
            LOG.warn("{}={}, but this JDK has no ChaCha20-Poly1305; measuring the others", PROPERTY, property);
            return null;
        }
        return forced.map(p -> new TransportChoice(p, TransportChoice.Basis.PROPERTY, Optional.empty())).orElse(null);
    }

    static TransportChoice measure(long budgetNanos) {
        TransportChoice.Calibration c = TransportCalibration.run(budgetNanos);
        return new TransportChoice(c.preferred(), TransportChoice.Basis.MEASURED, Optional.of(c));
    }

    /** The choice for {@code property}, measuring with {@code budgetNanos} when needed (tests). */
    static TransportChoice choose(String property, long budgetNanos) {
        TransportChoice fixed = decideWithoutMeasuring(property);
        return fixed != null ? fixed : measure(budgetNanos);
    }
}
