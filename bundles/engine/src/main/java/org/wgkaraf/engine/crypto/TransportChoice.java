package org.wgkaraf.engine.crypto;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which transport AEAD this JVM uses and why, with the calibration figures when it was measured;
 * small enough for a status line or a benchmark report.
 */
public record TransportChoice(TransportProvider provider, Basis basis, Optional<Calibration> calibration) {

    /** How the provider was chosen. */
    public enum Basis {
        /** The available providers were timed and the fastest won. */
        MEASURED,
        /** The system property {@value Transport#PROPERTY} named it. */
        PROPERTY,
        /** Ours, without measuring: the JDK has no ChaCha20 intrinsic (see {@link Transport}). */
        JDK_WITHOUT_INTRINSIC,
        /** BouncyCastle while the background calibration runs. */
        PROVISIONAL
    }

    /**
     * Cost of sealing and opening one small and one full-size packet (together {@code packetBytes}
     * bytes): each timed provider's fastest batch, in nanoseconds.
     */
    public record Calibration(int packetBytes, Map<TransportProvider, Long> nanosPerPacket, long elapsedNanos) {
        /**
         * How much faster a provider that allocates per packet (the JDK's: about 3.5 KB of garbage
         * per sealed and opened packet, a cost a short calibration hardly sees) must be to win.
         */
        public static final double ALLOCATION_MARGIN = 1.10;

        public Calibration {
            if (nanosPerPacket.isEmpty()) {
                throw new IllegalArgumentException("a calibration times at least one provider");
            }
            nanosPerPacket.forEach((p, n) -> {
                if (n == null || n <= 0) {
                    throw new IllegalArgumentException("no time for " + p);
                }
            });
            nanosPerPacket = Collections.unmodifiableMap(new EnumMap<>(nanosPerPacket));
        }

        /**
         * The fastest provider, an allocating one's time counted {@link #ALLOCATION_MARGIN} times;
         * exact ties go to the one declared first in {@link TransportProvider}.
         */
        public TransportProvider preferred() {
            TransportProvider best = null;
            double bestCost = Double.MAX_VALUE;
            for (Map.Entry<TransportProvider, Long> e : nanosPerPacket.entrySet()) {
                double cost = e.getValue() * (e.getKey().allocatesPerPacket() ? ALLOCATION_MARGIN : 1.0);
                if (cost < bestCost) {
                    best = e.getKey();
                    bestCost = cost;
                }
            }
            return best;
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
        calibration.ifPresent(c -> {
            s.append("; seal+open of ").append(c.packetBytes()).append(" bytes:");
            String sep = " ";
            for (Map.Entry<TransportProvider, Long> e : c.nanosPerPacket().entrySet()) {
                s.append(sep).append(e.getKey().id()).append(String.format(Locale.ROOT, " %.2f us", e.getValue() / 1000.0));
                sep = ", ";
            }
            s.append("; calibration took ").append(c.elapsedNanos() / 1_000_000).append(" ms");
        });
        return s.append(')').toString();
    }
}
