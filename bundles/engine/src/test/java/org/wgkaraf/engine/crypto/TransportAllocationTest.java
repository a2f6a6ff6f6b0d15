package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transport paths that claim it ({@link TransportProvider#allocatesPerPacket()} false)
 * allocate nothing per packet. Measured with the JVM's per-thread
 * allocation counter, which counts bytes, not time.
 */
class TransportAllocationTest {
    private static final int PACKETS = 2_000;

    static Stream<TransportProvider> allocationFree() {
        return Stream.of(TransportProvider.values()).filter(p -> !p.allocatesPerPacket());
    }

    @Test
    void ourOwnAndBouncyCastleAreTheAllocationFreeProviders() {
        assertEquals(List.of(TransportProvider.BC, TransportProvider.JAVA), allocationFree().toList());
    }

    @ParameterizedTest
    @MethodSource("allocationFree")
    void sealAndOpenInPlaceAllocateNothingPerPacket(TransportProvider provider) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation accounting is off in this JVM");

        byte[] key = Blake2sTest.sequence(32);
        TransportCipher sender = provider.factory().create(key);
        TransportCipher receiver = provider.factory().create(key);
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
