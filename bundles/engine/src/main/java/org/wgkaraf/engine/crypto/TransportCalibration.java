package org.wgkaraf.engine.crypto;

/**
 * Times both transport AEADs on the running JDK. The two are interleaved batch by batch so that
 * both get the same JIT warm-up, and each is scored by its fastest batch: the least disturbed
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
        // A fixed, public key: nothing secret is encrypted here.
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0xa5 ^ i);
        }
        // A sender and a receiver per provider, as a keypair has: one cipher per direction.
        Pair bc = new Pair(TransportProvider.BC, key);
        Pair jce = new Pair(TransportProvider.JCE, key);
        byte[] plain = new byte[PACKET_BYTES];
        byte[] small = new byte[SMALL_PACKET_BYTES];
        byte[] sealed = new byte[PACKET_BYTES + ChaChaPoly.TAG_SIZE];
        long bcBest = Long.MAX_VALUE;
        long jceBest = Long.MAX_VALUE;
        long counter = 0;
        long start = System.nanoTime();
        try {
            // Round 0 loads and links both code paths (the first use of a VarHandle or of the JDK
            // cipher costs milliseconds) and is not scored.
            batch(bc, counter, plain, small, sealed);
            batch(jce, counter, plain, small, sealed);
            counter += 2 * BATCH;
            for (int round = 1; round == 1 || System.nanoTime() - start < budgetNanos; round++) {
                // Alternate who goes first so neither always runs right after a GC or a compile.
                if ((round & 1) == 0) {
                    bcBest = Math.min(bcBest, batch(bc, counter, plain, small, sealed));
                    jceBest = Math.min(jceBest, batch(jce, counter, plain, small, sealed));
                } else {
                    jceBest = Math.min(jceBest, batch(jce, counter, plain, small, sealed));
                    bcBest = Math.min(bcBest, batch(bc, counter, plain, small, sealed));
                }
                counter += 2 * BATCH;
            }
        } finally {
            bc.destroy();
            jce.destroy();
        }
        return new TransportChoice.Calibration(PACKET_BYTES + SMALL_PACKET_BYTES, bcBest, jceBest, System.nanoTime() - start);
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
