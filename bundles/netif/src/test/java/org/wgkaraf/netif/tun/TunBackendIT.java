package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.RunNames;
import org.wgkaraf.testsupport.interop.Shell;
import org.wgkaraf.testsupport.interop.Subnets;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * The TUN backend with the kernel as the far side: packets from the tunnel go into the OS through
 * {@code input}, and what the OS answers comes back to the tunnel sink, unless the link is down.
 */
class TunBackendIT {
    private static final int PAYLOAD = 56;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final BlockingQueue<byte[]> toTunnel = new LinkedBlockingQueue<>();
    private final PacketSink sink = (p, off, len) -> toTunnel.add(Arrays.copyOfRange(p, off, off + len));
    private final List<VirtualBackend.Attachment> attachments = new ArrayList<>();
    private String name;
    private int subnet;
    private Inet4Address address;
    private Inet4Address peer;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.checkTun("ip");
    }

    @BeforeEach
    void setUp() {
        name = RunNames.nextLabPrefix() + "t";
        subnet = Subnets.allocate();
        address = PacketBuilder.ipv4(Subnets.inner(subnet, 2));
        peer = PacketBuilder.ipv4(Subnets.inner(subnet, 1));
    }

    @AfterEach
    void tearDown() {
        attachments.forEach(VirtualBackend.Attachment::close);
        RootLinks.removeQuietly(name);
        Subnets.release(subnet);
        RootLinks.assertGone(name);
    }

    private NetifInfo info(String ifName) {
        return new NetifInfo(3, ifName, NetifInfo.Kind.VIRTUAL, true, true, address, PacketBuilder.ipv4("255.255.255.0"), PacketBuilder.ipv4("0.0.0.0"));
    }

    private TunAttachment attach() throws IOException {
        VirtualBackend.Attachment a = new TunBackend().attach(info(name), sink);
        attachments.add(a);
        return assertInstanceOf(TunAttachment.class, a);
    }

    /** Sends an echo request from the peer through the "tunnel" into the OS. */
    private void inputEchoRequest(TunAttachment a, int seq) {
        byte[] req = new byte[128];
        int len = EchoPackets.request(req, peer.getAddress(), address.getAddress(), 0x4242, seq, PAYLOAD);
        a.input(req, 0, len);
    }

    private boolean replyReachesTunnel(int seq) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            byte[] p = toTunnel.poll(left, TimeUnit.NANOSECONDS);
            if (p != null && EchoPackets.isReply(p, p.length, address.getAddress(), peer.getAddress(), 0x4242, seq, PAYLOAD)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void attachCreatesTheInterfaceWithTheInfosAddressNetmaskAndTunnelMtu() throws IOException {
        attach();

        String json = Shell.run("ip", "-j", "addr", "show", "dev", name).stdout();
        assertTrue(json.contains("\"mtu\":1420,"), json);
        assertTrue(json.contains("\"local\":\"" + address.getHostAddress() + "\",\"prefixlen\":24"), json);
    }

    @Test
    void packetsFromTheTunnelReachTheOsAndItsAnswersReachTheTunnel() throws Exception {
        TunAttachment a = attach();

        inputEchoRequest(a, 1);

        assertTrue(replyReachesTunnel(1), "the OS's echo reply was passed to the tunnel: " + a);
        assertEquals(1, a.received());
        assertTrue(a.sent() >= 1, a.toString());
    }

    @Test
    void whileTheLinkIsDownWhatTheOsSendsIsDroppedAndCounted() throws Exception {
        TunAttachment a = attach();
        a.setLinkUp(false);

        inputEchoRequest(a, 2);

        Await.until("the OS's reply was read and dropped", WAIT, () -> a.droppedLinkDown() >= 1, a::toString);
        assertEquals(0, a.sent(), "nothing went to the tunnel while the link was down");
        assertTrue(toTunnel.isEmpty(), "the sink got nothing: " + toTunnel.size());

        a.setLinkUp(true);
        inputEchoRequest(a, 3);
        assertTrue(replyReachesTunnel(3), "with the link up again, replies reach the tunnel: " + a);
    }

    @Test
    void theReaderThreadAndInputAllocateNothingPerPacket() throws IOException {
        byte[] tunBytes = address.getAddress();
        byte[] peerBytes = peer.getAddress();
        AtomicLong lastReply = new AtomicLong(-1);
        // Checks each packet in a reused array (with offloads, packets come after the vnet header, not
        // at 0) and keeps only the sequence number: the sink allocates nothing.
        byte[] scratch = new byte[TunDevice.MAX_PACKET];
        PacketSink counting = (p, off, len) -> {
            System.arraycopy(p, off, scratch, 0, len);
            if (len >= 28 && EchoPackets.isReply(scratch, len, tunBytes, peerBytes, 0x4343, ((scratch[26] & 0xff) << 8) | (scratch[27] & 0xff), PAYLOAD)) {
                lastReply.set(((scratch[26] & 0xff) << 8) | (scratch[27] & 0xff));
            }
        };
        VirtualBackend.Attachment a = new TunBackend().attach(info(name), counting);
        attachments.add(a);
        Thread reader = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("wgk-tun-" + name)).findFirst().orElseThrow();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] req = new byte[128];
        int seq = 0;
        for (int i = 0; i < 20_000; i++) { // warm-up: compile both paths
            seq = (seq + 1) & 0xffff;
            assertTrue(roundTrip(a, req, peerBytes, tunBytes, seq, lastReply), "reply " + seq);
        }
        int rounds = 10_000;
        long readerBefore = threads.getThreadAllocatedBytes(reader.getId());
        long inputBefore = threads.getCurrentThreadAllocatedBytes();
        boolean allAnswered = true;
        for (int i = 0; i < rounds; i++) {
            seq = (seq + 1) & 0xffff;
            allAnswered &= roundTrip(a, req, peerBytes, tunBytes, seq, lastReply);
        }
        long input = threads.getCurrentThreadAllocatedBytes() - inputBefore;
        long read = threads.getThreadAllocatedBytes(reader.getId()) - readerBefore;

        System.out.printf("TUN backend: %d packets each way allocated %d bytes on the reader thread, %d in input()%n", rounds, read, input);
        assertTrue(allAnswered, "every request was answered");
        assertTrue(read <= 4096, "the reader thread allocated " + read + " bytes for " + rounds + " packets");
        assertTrue(input <= 4096, "input() allocated " + input + " bytes for " + rounds + " packets");
    }

    /** input() one echo request, then spins (allocation-free) until the sink saw its reply. */
    private static boolean roundTrip(VirtualBackend.Attachment a, byte[] req, byte[] peerAddress, byte[] tunAddress, int seq, AtomicLong lastReply) {
        a.input(req, 0, EchoPackets.request(req, peerAddress, tunAddress, 0x4343, seq, PAYLOAD));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lastReply.get() != seq) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    @Test
    void closeStopsTheReaderAndRemovesTheInterface() throws IOException {
        TunAttachment a = attach();
        assertTrue(RootLinks.exists(name));

        a.close();

        assertFalse(a.readerAlive(), "the reader thread has ended when close returns");
        assertFalse(RootLinks.exists(name), "the interface is gone when close returns");
        a.input(new byte[28], 0, 28); // a late packet from the tunnel is ignored, not thrown
        assertEquals(0, a.writeFailures());
    }

    @Test
    void aPacketTheKernelRefusesIsCountedNotThrown() throws IOException {
        TunAttachment a = attach();
        byte[] notIp = new byte[40]; // version nibble 0

        a.input(notIp, 0, notIp.length);

        assertEquals(1, a.writeFailures());
        assertEquals(0, a.received());
    }

    @Test
    void attachingATakenNameFailsAndLeavesNothingBehind() throws IOException {
        attach();

        IOException e = assertThrows(IOException.class, () -> new TunBackend().attach(info(name), sink));

        assertTrue(e.getMessage().contains(name), e.getMessage());
        long readers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("wgk-tun-" + name)).count();
        assertEquals(1, readers, "no second reader thread was started");
    }
}
