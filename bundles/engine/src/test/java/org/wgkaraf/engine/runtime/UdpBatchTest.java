package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bursts of datagrams sent in one system call (UDP segmentation offload, {@link UdpGso}) from the
 * tunnel's own socket, through {@link SocketOutput}'s batch, to real sockets on loopback: what
 * arrives is what was sent, datagram by datagram, in order, from the tunnel's port.
 */
class UdpBatchTest {
    private static final long DEADLINE_NANOS = 5_000_000_000L;

    private UdpSocket socket;
    private final List<DatagramChannel> receivers = new ArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bind() throws IOException {
        socket = UdpSocket.bind(0, RuntimeHooks.NONE);
    }

    @AfterEach
    void close() throws IOException {
        socket.close();
        for (DatagramChannel r : receivers) {
            r.close();
        }
    }

    private DatagramChannel receiver() throws IOException {
        DatagramChannel r = DatagramChannel.open();
        r.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20); // a burst of 100 datagrams must fit
        r.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        r.configureBlocking(false);
        receivers.add(r);
        return r;
    }

    private static InetSocketAddress address(DatagramChannel r) throws IOException {
        return (InetSocketAddress) r.getLocalAddress();
    }

    private SocketOutput output(boolean batches) {
        return new SocketOutput(socket, null, errors::add, batches);
    }

    /** Datagram {@code i} of a burst: {@code length} bytes, each {@code i}. */
    private static byte[] datagram(int i, int length) {
        byte[] d = new byte[length];
        Arrays.fill(d, (byte) i);
        return d;
    }

    /** One received datagram and the port it came from. */
    private record Received(byte[] data, int sourcePort) {
    }

    /** Receives {@code n} datagrams on {@code r}, failing after the deadline. */
    private static List<Received> receive(DatagramChannel r, int n) throws IOException {
        List<Received> got = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        try (Selector s = Selector.open()) {
            r.register(s, SelectionKey.OP_READ);
            while (got.size() < n) {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) r.receive(buf);
                if (from != null) {
                    got.add(new Received(Arrays.copyOf(buf.array(), buf.position()), from.getPort()));
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("received " + got.size() + " of " + n + " datagrams in 5 s");
                }
                s.select(Math.max(1, left / 1_000_000));
                s.selectedKeys().clear();
            }
        }
        return got;
    }

    /** Nothing more than what was counted arrives: a datagram sent after them comes next. */
    private void assertNextIs(DatagramChannel r, byte[] marker, SocketOutput out) throws IOException {
        out.sendDatagram(address(r), marker, 0, marker.length);
        assertArrayEquals(marker, receive(r, 1).get(0).data(), "the marker comes next, nothing else before it");
    }

    @Test
    void aHeldBurstLeavesInOneCallAndArrivesAsTheDatagramsSentInOrderFromTheTunnelsPort() throws IOException {
        DatagramChannel r = receiver();
        SocketOutput out = output(true);
        out.hold(true);
        for (int i = 0; i < 10; i++) {
            out.sendDatagram(address(r), datagram(i, 1000), 0, 1000);
        }
        out.sendDatagram(address(r), datagram(10, 300), 0, 300); // shorter: ends the batch, which leaves
        out.hold(false);

        List<Received> got = receive(r, 11);
        for (int i = 0; i < 11; i++) {
            assertArrayEquals(datagram(i, i < 10 ? 1000 : 300), got.get(i).data(), "datagram " + i);
            assertEquals(socket.localPort(), got.get(i).sourcePort(), "sent from the tunnel's own socket");
        }
        assertEquals(1, out.batchesSent(), "one system call");
        assertEquals(11, out.datagramsBatched());
        assertTrue(socket.sendsSegments());
        assertNextIs(r, datagram(99, 50), out);
        assertEquals(List.of(), errors);
    }

    @Test
    void aBatchIsCutAt64KiBAndTheRestFollowsAtTheFlush() throws IOException {
        DatagramChannel r = receiver();
        SocketOutput out = output(true);
        out.hold(true);
        for (int i = 0; i < 100; i++) {
            out.sendDatagram(address(r), datagram(i, 1452), 0, 1452);
        }
        out.hold(false);
        out.flush();

        List<Received> got = receive(r, 100);
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(datagram(i, 1452), got.get(i).data(), "datagram " + i);
        }
        int perBatch = UdpGso.MAX_BYTES / 1452;
        assertEquals(45, perBatch, "45 datagrams of 1452 bytes fit one IPv4 packet's 65507");
        assertEquals(3, out.batchesSent(), "45 + 45 + 10");
        assertEquals(100, out.datagramsBatched());
    }

    @Test
    void aDatagramNotHeldSendsTheBatchBeforeItAndOneForAnotherDestinationToo() throws IOException {
        DatagramChannel r1 = receiver();
        DatagramChannel r2 = receiver();
        SocketOutput out = output(true);
        out.hold(true);
        for (int i = 0; i < 3; i++) {
            out.sendDatagram(address(r1), datagram(i, 800), 0, 800);
        }
        out.sendDatagram(address(r2), datagram(7, 800), 0, 800); // another destination: r1's batch leaves
        assertEquals(3, receive(r1, 3).size());
        out.hold(false);
        out.sendDatagram(address(r2), datagram(8, 148), 0, 148); // a handshake: joins r2's batch and sends it

        List<Received> got = receive(r2, 2);
        assertArrayEquals(datagram(7, 800), got.get(0).data());
        assertArrayEquals(datagram(8, 148), got.get(1).data());
        assertEquals(2, out.batchesSent());
    }

    @Test
    void withBatchesOffNothingIsHeld() throws IOException {
        DatagramChannel r = receiver();
        SocketOutput out = output(false);
        out.hold(true);
        out.sendDatagram(address(r), datagram(1, 1000), 0, 1000);
        assertArrayEquals(datagram(1, 1000), receive(r, 1).get(0).data(), "sent at once, without a flush");
        out.hold(false);
        assertEquals(0, out.batchesSent());
    }

    @Test
    void aBurstTheKernelRefusesMakesTheSocketSendOnePerCallAndLosesNothing() throws IOException {
        DatagramChannel r = receiver();
        // More segments in one call than the kernel takes (64, or 128 since Linux 6.x): it refuses
        // the burst (EINVAL), as it refuses one on a path without checksum offload (EIO).
        ByteBuffer tooMany = ByteBuffer.allocateDirect(300 * 10);
        assertFalse(socket.sendSegments(tooMany, 300 * 10, 10, address(r)), "refused: the caller sends one by one");
        assertFalse(socket.maySendSegments(), "the socket is known not to take bursts");

        SocketOutput out = output(true);
        out.hold(true);
        out.sendDatagram(address(r), datagram(3, 500), 0, 500);
        assertArrayEquals(datagram(3, 500), receive(r, 1).get(0).data(), "nothing held on a socket that cannot send bursts");
        out.hold(false);
        assertEquals(0, out.batchesSent());
    }

    @Test
    void aNewSocketAfterASwapIsAskedAgainAndTheBurstLeavesFromIt() throws IOException {
        DatagramChannel r = receiver();
        SocketOutput out = output(true);
        out.hold(true);
        out.sendDatagram(address(r), datagram(1, 600), 0, 600);
        out.sendDatagram(address(r), datagram(2, 600), 0, 600);
        out.hold(false);
        out.flush();
        int oldPort = socket.localPort();
        assertEquals(oldPort, receive(r, 2).get(1).sourcePort());

        socket.swapTo(0);
        out.hold(true);
        out.sendDatagram(address(r), datagram(3, 600), 0, 600);
        out.sendDatagram(address(r), datagram(4, 600), 0, 600);
        out.hold(false);
        out.flush();
        List<Received> got = receive(r, 2);
        assertNotNull(got);
        assertEquals(socket.localPort(), got.get(0).sourcePort(), "from the new socket");
        assertArrayEquals(datagram(4, 600), got.get(1).data());
        assertEquals(2, out.batchesSent());
    }

    @Test
    void aBurstLargerThanTheKernelsDefaultBufferWaitsInTheTunnelSocketUntilRead() throws Exception {
        long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).strip());
        assertTrue(rmemMax >= 1 << 20, "net.core.rmem_max is " + rmemMax + " bytes, so no socket may hold a burst: "
                + "sysctl -w net.core.rmem_max=4194304");
        DatagramChannel sender = DatagramChannel.open();
        receivers.add(sender);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.localPort());
        // 400 datagrams of 1400 bytes: about twice what the kernel's default buffer (208 KiB) holds.
        int burst = 400;
        byte[] payload = new byte[1400];
        for (int i = 0; i < burst; i++) {
            payload[0] = (byte) i;
            assertEquals(payload.length, sender.send(ByteBuffer.wrap(payload), to));
        }
        // Nothing read them while they came. Now read until none is waiting: the idle callback
        // closes the socket, so receive returns null instead of waiting for more.
        ByteBuffer into = ByteBuffer.allocate(2048);
        int got = 0;
        int expected = 0;
        while (true) {
            into.clear();
            if (socket.receive(into, () -> {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }) == null) {
                break;
            }
            assertEquals(payload.length, into.position());
            assertEquals((byte) expected++, into.get(0), "in order, none missing");
            got++;
        }
        assertEquals(burst, got, "every datagram of the burst waited in the socket");
    }
}
