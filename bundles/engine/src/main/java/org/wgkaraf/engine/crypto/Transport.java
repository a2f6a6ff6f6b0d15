package org.wgkaraf.engine.crypto;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link TransportCipher.Factory} the engine uses: BouncyCastle's, the JDK's or our own
 * ({@link JavaTransportCipher}) ChaCha20-Poly1305.
 *
 * <p>On a JDK before 20 ours is used without measuring: those JDKs have no ChaCha20 or Poly1305
 * intrinsic, so the JDK's cipher is plain Java that allocates per packet, BouncyCastle's is plain
 * Java too, and ours measured 1.9 times BouncyCastle (docs/aead.md). Measuring there did more harm
 * than good: it runs while Karaf boots, for up to 3 s, and the tunnel's first session, made
 * meanwhile, is sealed by BouncyCastle for its whole life (two minutes); and on a busy machine
 * the JIT had not yet compiled our cipher's vector loops when they were timed, so another
 * provider won in about one calibration in ten.
 *
 * <p>On JDK 20 and later, where the JDK's cipher may be an intrinsic, the first call to
 * {@link #factory()} starts a calibration on a background thread (at least
 * {@value TransportCalibration#DEFAULT_BUDGET_MILLIS} ms and longer while the JIT is still
 * compiling or a provider still getting faster, at most five times that; once per JVM, so that
 * steady-state speed is compared, not warm-up); until it ends, BouncyCastle's allocation-free
 * cipher is used, and every keypair made afterwards uses the winner. Tunnel start is never
 * delayed. The system property {@value #PROPERTY} = bc | jce | java decides instead, and
 * {@value #MEASURE} measures on any JDK.
 */
public final class Transport {
    public static final String PROPERTY = "wgkaraf.aead";
    /** The value of {@link #PROPERTY} that asks for a calibration on any JDK. */
    public static final String MEASURE = "measure";
    /** The first JDK feature release with a ChaCha20 intrinsic (JDK-8247645). */
    static final int FIRST_JDK_WITH_INTRINSIC = 20;
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
            TransportChoice fixed = decideWithoutMeasuring(property, Runtime.version().feature());
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

    /**
     * The choice when no measurement is needed, else null (measure): the provider the property
     * names, if available; otherwise, on a JDK before {@value #FIRST_JDK_WITH_INTRINSIC}, ours.
     */
    static TransportChoice decideWithoutMeasuring(String property, int jdkFeature) {
        if (property != null && property.trim().equalsIgnoreCase(MEASURE)) {
            return null;
        }
        Optional<TransportProvider> forced = TransportProvider.byId(property);
        if (property != null && forced.isEmpty()) {
            LOG.warn("Ignoring {}={}: expected bc, jce, java or {}", PROPERTY, property, MEASURE);
        }
        if (forced.isPresent() && !forced.get().isAvailable()) {
            LOG.warn("{}={}, but this JDK has no ChaCha20-Poly1305; choosing among the others", PROPERTY, property);
            forced = Optional.empty();
        }
        if (forced.isPresent()) {
            return new TransportChoice(forced.get(), TransportChoice.Basis.PROPERTY, Optional.empty());
        }
        if (jdkFeature < FIRST_JDK_WITH_INTRINSIC) {
            return new TransportChoice(TransportProvider.JAVA, TransportChoice.Basis.JDK_WITHOUT_INTRINSIC, Optional.empty());
        }
        return null;
    }

    static TransportChoice measure(long budgetNanos) {
        TransportChoice.Calibration c = TransportCalibration.run(budgetNanos);
        return new TransportChoice(c.preferred(), TransportChoice.Basis.MEASURED, Optional.of(c));
    }

    /** The choice for {@code property} on a JDK of {@code jdkFeature}, measuring with {@code budgetNanos} when needed (tests). */
    static TransportChoice choose(String property, int jdkFeature, long budgetNanos) {
        TransportChoice fixed = decideWithoutMeasuring(property, jdkFeature);
        return fixed != null ? fixed : measure(budgetNanos);
    }
}
