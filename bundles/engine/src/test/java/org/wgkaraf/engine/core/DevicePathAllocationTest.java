package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.wgkaraf.engine.crypto.BcTransportCipher;

/**
 * The whole data path of the core, send on one device and receive on the other, allocates nothing
 * per packet (with the BouncyCastle transport, which allocates nothing itself). The JMH
 * DeviceBenchmark measures the same path for speed; this keeps it at zero bytes in every build.
 */
class DevicePathAllocationTest {
    private static final int PACKETS = 2_000;

    /** Keeps the one datagram in flight in a fixed buffer. */
    private static final class Wire implements CoreOutput {
        final byte[] datagram = new byte[2048];
        int length;

        @Override
        public void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len) {
            System.arraycopy(buf, off, datagram, 0, len);
            length = len;
        }
    }

    @Test
    void sendingAndReceivingATransportPacketAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation accounting is off in this JVM");

        TestNet net = new TestNet();
        TestNet.Node a = net.node("a", "192.0.2.1", 51820, 1, BcTransportCipher.FACTORY);
        TestNet.Node b = net.node("b", "192.0.2.2", 51820, 2, BcTransportCipher.FACTORY);
        TestNet.link(a, "10.9.0.1/32", b, "10.9.0.2/32", null, true, 0);
        byte[] packet = TestNet.ipv4("10.9.0.1", "10.9.0.2", 1400);
        a.send(packet);
        net.pump();
        assertEquals(1, b.delivered.size(), "the session is up");

        Wire wire = new Wire();
        long id = Thread.currentThread().getId();
        run(a, b, wire, packet, net.clock.nanoTime()); // loads and initialises every class on the path
        long before = threads.getThreadAllocatedBytes(id);
        run(a, b, wire, packet, net.clock.nanoTime());
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        // The counter itself may cost a few bytes; anything per packet would show as >= PACKETS bytes.
        assertTrue(allocated < PACKETS, allocated + " bytes allocated for " + PACKETS + " packets");
    }

    private static void run(TestNet.Node a, TestNet.Node b, Wire wire, byte[] packet, long now) {
        for (int i = 0; i < PACKETS; i++) {
            a.device.send(packet, 0, packet.length, now, wire);
            int inner = b.device.receive(wire.datagram, 0, wire.length, a.address, now, b);
            assertEquals(packet.length, inner);
        }
    }
}
