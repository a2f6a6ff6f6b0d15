package org.wgkaraf.engine.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Times the available transport AEADs on the running JDK. They are interleaved batch by batch so
 * that all get the same JIT warm-up, and each is scored by its fastest batch: the least disturbed
 * estimate of what it costs once compiled. Each batch seals and opens a small packet (an SSH
 * keystroke, a keepalive-sized datagram) and a full-size one, because real traffic mixes both and
 * the providers rank differently on each. The budget lets the JIT settle: with ~150 ms the JDK's
 * cipher, compiled sooner, looked 35% faster than it is at steady state.
 */
final class TransportCalibration {
    /** WireGuard's default MTU payload, and a small packet. */
    static final int PACKET_BYTES = 1420;
    static final int SMALL_PACKET_BYTES = 64;
    static final long DEFAULT_BUDGET_MILLIS = 600;
    private static final int BATCH = 8;

    private TransportCalibration() {
    }

    static TransportChoice.Calibration run(long budgetNanos) {
        return run(budgetNanos, available());
    }

    static List<TransportProvider> available() {
        List<TransportProvider> list = new ArrayList<>();
        for (TransportProvider p : TransportProvider.values()) {
            if (p.isAvailable()) {
                list.add(p);
            }
        }
        return list;
    }

    static TransportChoice.Calibration run(long budgetNanos, List<TransportProvider> providers) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("nothing to calibrate");
        }
        // A fixed, public key: nothing secret is encrypted here.
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0xa5 ^ i);
        }
        // A sender and a receiver per provider, as a keypair has: one cipher per direction.
        int n = providers.size();
        Pair[] pairs = new Pair[n];
        long[] best = new long[n];
        Arrays.fill(best, Long.MAX_VALUE);
        byte[] plain = new byte[PACKET_BYTES];
        byte[] small = new byte[SMALL_PACKET_BYTES];
        byte[] sealed = new byte[PACKET_BYTES + ChaChaPoly.TAG_SIZE];
        long counter = 0;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                pairs[i] = new Pair(providers.get(i), key);
            }
            // Round 0 loads and links every code path (the first use of a VarHandle or of the JDK
            // cipher costs milliseconds) and is not scored.
            for (Pair p : pairs) {
                batch(p, counter, plain, small, sealed);
            }
            counter += 2 * BATCH;
            for (int round = 1; round == 1 || System.nanoTime() - start < budgetNanos; round++) {
                // Rotate who goes first so none always runs right after a GC or a compile.
                for (int k = 0; k < n; k++) {
                    int i = (round + k) % n;
                    best[i] = Math.min(best[i], batch(pairs[i], counter, plain, small, sealed));
                }
                counter += 2 * BATCH;
            }
        } finally {
            for (Pair p : pairs) {
                if (p != null) {
                    p.destroy();
                }
            }
        }
        Map<TransportProvider, Long> nanos = new EnumMap<>(TransportProvider.class);
        for (int i = 0; i < n; i++) {
            // A batch can read 0 ns on a coarse clock; the record wants a positive time.
            nanos.put(providers.get(i), Math.max(1, best[i]));
        }
        return new TransportChoice.Calibration(PACKET_BYTES + SMALL_PACKET_BYTES, nanos, System.nanoTime() - start);
    }

    /** Nanoseconds per seal + open of one full-size and one small packet, over one batch. */
    private static long batch(Pair p, long firstCounter, byte[] plain, byte[] small, byte[] sealed) {
        long t0 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            roundTrip(p, firstCounter + 2L * i, plain, sealed);
            roundTrip(p, firstCounter + 2L * i + 1, small, sealed);
        }
        return (System.nanoTime() - t0) / BATCH;
    }

    private static void roundTrip(Pair p, long n, byte[] plain, byte[] sealed) {
        int sealedLen = p.sender().seal(n, plain, 0, plain.length, sealed, 0);
        // Opening in place, as the engine does; the check also keeps the work observable.
        if (p.receiver().open(n, sealed, 0, sealedLen, sealed, 0) != plain.length) {
            throw new IllegalStateException("calibration round trip failed");
        }
    }

    private record Pair(TransportCipher sender, TransportCipher receiver) {
        Pair(TransportProvider provider, byte[] key) {
            this(provider.factory().create(key), provider.factory().create(key));
        }

        void destroy() {
            sender.destroy();
            receiver.destroy();
        }
    }
}
