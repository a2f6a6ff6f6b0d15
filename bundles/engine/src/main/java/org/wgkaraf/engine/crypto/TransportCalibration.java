package org.wgkaraf.engine.crypto;

/**
 * Times both transport AEADs on the running JDK. The two are interleaved batch by batch so that
 * both get the same JIT warm-up, and each is scored by its fastest batch: the least disturbed
 * estimate of what it costs once compiled. In the ~150 ms allowed the JIT has rarely finished, so
 * the figures are early-JIT figures, several times a steady state's; close results can fall either way.
 */
final class TransportCalibration {
    /** WireGuard's default MTU payload: the packet size that dominates real traffic. */
    static final int PACKET_BYTES = 1420;
    static final long DEFAULT_BUDGET_NANOS = 150_000_000L;
    private static final int BATCH = 8;

    private TransportCalibration() {
    }

    static TransportChoice.Calibration run(long budgetNanos) {
        // A fixed, public key: nothing secret is encrypted here.
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0xa5 ^ i);
        }
        // A sender and a receiver per provider, as a keypair has: one cipher per direction.
        Pair bc = new Pair(TransportProvider.BC, key);
        Pair jce = new Pair(TransportProvider.JCE, key);
        byte[] plain = new byte[PACKET_BYTES];
        byte[] sealed = new byte[PACKET_BYTES + ChaChaPoly.TAG_SIZE];
        long bcBest = Long.MAX_VALUE;
        long jceBest = Long.MAX_VALUE;
        long counter = 0;
        long start = System.nanoTime();
        try {
            // Round 0 loads and links both code paths (the first use of a VarHandle or of the JDK
            // cipher costs milliseconds) and is not scored.
            batch(bc, counter, plain, sealed);
            batch(jce, counter, plain, sealed);
            counter += BATCH;
            for (int round = 1; round == 1 || System.nanoTime() - start < budgetNanos; round++) {
                // Alternate who goes first so neither always runs right after a GC or a compile.
                if ((round & 1) == 0) {
                    bcBest = Math.min(bcBest, batch(bc, counter, plain, sealed));
                    jceBest = Math.min(jceBest, batch(jce, counter, plain, sealed));
                } else {
                    jceBest = Math.min(jceBest, batch(jce, counter, plain, sealed));
                    bcBest = Math.min(bcBest, batch(bc, counter, plain, sealed));
                }
                counter += BATCH;
            }
        } finally {
            bc.destroy();
            jce.destroy();
        }
        return new TransportChoice.Calibration(PACKET_BYTES, bcBest, jceBest, System.nanoTime() - start);
    }

    /** Nanoseconds per seal + open of one packet, over one batch. */
    private static long batch(Pair p, long firstCounter, byte[] plain, byte[] sealed) {
        long t0 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            long n = firstCounter + i;
            int sealedLen = p.sender().seal(n, plain, 0, plain.length, sealed, 0);
            // Opening in place, as the engine does; the check also keeps the work observable.
            if (p.receiver().open(n, sealed, 0, sealedLen, sealed, 0) != plain.length) {
                throw new IllegalStateException("calibration round trip failed");
            }
        }
        return (System.nanoTime() - t0) / BATCH;
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
