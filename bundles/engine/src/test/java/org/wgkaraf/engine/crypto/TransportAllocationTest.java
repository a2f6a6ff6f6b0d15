package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The BouncyCastle transport path allocates nothing per packet. Measured with the JVM's per-thread
 * allocation counter, which counts bytes, not time.
 */
class TransportAllocationTest {
    private static final int PACKETS = 2_000;

    @Test
    void bouncyCastleSealAndOpenInPlaceAllocateNothingPerPacket() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation accounting is off in this JVM");

        byte[] key = Blake2sTest.sequence(32);
        TransportCipher sender = TransportProvider.BC.factory().create(key);
        TransportCipher receiver = TransportProvider.BC.factory().create(key);
        byte[] buf = new byte[16 + 1420 + 16];
        long id = Thread.currentThread().getId();

        run(sender, receiver, buf, 0); // loads and initialises every class on the path
        long before = threads.getThreadAllocatedBytes(id);
        run(sender, receiver, buf, PACKETS);
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        // The counter itself may cost a few bytes; anything per packet would show as >= PACKETS bytes.
        assertTrue(allocated < PACKETS, allocated + " bytes allocated for " + PACKETS + " packets");
    }

    private static void run(TransportCipher sender, TransportCipher receiver, byte[] buf, long firstCounter) {
        for (long n = firstCounter; n < firstCounter + PACKETS; n++) {
            int sealed = sender.seal(n, buf, 16, 1420, buf, 16);
            assertEquals(1420, receiver.open(n, buf, 16, sealed, buf, 16));
        }
    }
}
