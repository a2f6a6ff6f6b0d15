package org.wgkaraf.engine.crypto;

import java.util.Locale;
import java.util.Optional;

/**
 * Which transport AEAD this JVM uses and why, with the calibration figures when it was measured;
 * small enough for a status line or a benchmark report.
 */
public record TransportChoice(TransportProvider provider, Basis basis, Optional<Calibration> calibration) {

    /** How the provider was chosen. */
    public enum Basis {
        /** Both were timed and the faster won. */
        MEASURED,
        /** The system property {@value Transport#PROPERTY} named it. */
        PROPERTY,
        /** The JDK has no ChaCha20-Poly1305, so BouncyCastle is the only candidate. */
        ONLY_AVAILABLE,
        /** BouncyCastle while the background calibration runs. */
        PROVISIONAL
    }

    /**
     * Cost of sealing and opening one small and one full-size packet (together {@code packetBytes}
     * bytes): each provider's fastest batch.
     */
    public record Calibration(int packetBytes, long bcNanosPerPacket, long jceNanosPerPacket, long elapsedNanos) {
        /**
         * How much faster the JDK must be to win. Its cipher leaves about 3.5 KB of garbage per
         * sealed and opened packet, a cost a short calibration hardly sees; BouncyCastle's leaves none.
         */
        public static final double JCE_MARGIN = 1.10;

        /** The faster provider, with ties and near-ties (within {@link #JCE_MARGIN}) going to BouncyCastle. */
        public TransportProvider preferred() {
            return jceNanosPerPacket * JCE_MARGIN < bcNanosPerPacket ? TransportProvider.JCE : TransportProvider.BC;
        }
    }

    public TransportChoice {
        if (basis == Basis.MEASURED && calibration.isEmpty()) {
            throw new IllegalArgumentException("a measured choice carries its calibration");
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(provider.id()).append(" (").append(basis.name().toLowerCase(Locale.ROOT));
        calibration.ifPresent(c -> s.append(String.format(Locale.ROOT,
                "; seal+open of %d bytes: bc %.2f us, jce %.2f us; calibration took %d ms",
                c.packetBytes(), c.bcNanosPerPacket() / 1000.0, c.jceNanosPerPacket() / 1000.0,
                c.elapsedNanos() / 1_000_000)));
        return s.append(')').toString();
    }
}
