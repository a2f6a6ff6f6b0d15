package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.address;
import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;
import static org.wgkaraf.testsupport.packet.PacketBuilder.transportChecksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.UdpSocket;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

class UdpTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Ipv4Layer layer = new Ipv4Layer(clock::get);
    private final RecordingTunnel tunnel = new RecordingTunnel();
    private final VirtualBackend.Attachment wg = TunnelInterfaces.attachUp(layer, 3, "10.214.0.2", "255.255.0.0", tunnel);

    private void input(byte[] p) {
        wg.input(p, 0, p.length);
    }

    @Test
    void aDatagramToABoundPortIsReceivedWithItsSource() throws Exception {
        try (UdpSocket s = layer.bind(5000)) {
            input(PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").udp(40000, 5000, bytes("hello")).build());

            UdpSocket.Datagram d = s.receive(WAIT);

            assertEquals(ipv4("10.214.0.1"), d.source());
            assertEquals(40000, d.sourcePort());
            assertArrayEquals(bytes("hello"), d.data());
            assertEquals(0, tunnel.sent().size());
        }
    }

    @Test
    void datagramsToTheSubnetBroadcastAndWithoutChecksumReachTheSocket() throws Exception {
        try (UdpSocket s = layer.bind(5000)) {
            input(PacketBuilder.ipv4("10.214.0.1", "10.214.255.255").udp(1, 5000, bytes("a")).build());
            input(PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").udp(1, 5000, bytes("b")).noUdpChecksum().build());

            assertArrayEquals(bytes("a"), s.receive(WAIT).data());
            assertArrayEquals(bytes("b"), s.receive(WAIT).data());
        }
    }

    @Test
    void aPortBoundAlreadyIsRefusedWithAClearMessage() throws Exception {
        try (UdpSocket s = layer.bind(5000)) {
            IOException e = assertThrows(IOException.class, () -> layer.bind(5000));
            assertEquals("UDP port 5000 is in use already", e.getMessage());
        }
        layer.bind(5000).close(); // free again once closed
    }

    @Test
    void portZeroPicksDistinctEphemeralPorts() throws Exception {
        try (UdpSocket a = layer.bind(0); UdpSocket b = layer.bind(0)) {
            for (UdpSocket s : new UdpSocket[] {a, b}) {
                assertTrue(s.localPort() >= 49152 && s.localPort() <= 65535, "ephemeral: " + s.localPort());
            }
            assertNotEquals(a.localPort(), b.localPort());
        }
    }

    @Test
    void aPortOutsideTheRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> layer.bind(65536));
        assertThrows(IllegalArgumentException.class, () -> layer.bind(-1));
    }

    @Test
    void aClosedPortIsAnsweredWithPortUnreachableQuotingHeaderAndEightBytes() {
        byte[] datagram = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").udp(40000, 9, bytes("some payload")).build();

        input(datagram);

        byte[] p = tunnel.only();
        assertEquals(20 + 8 + 28, p.length);
        SentHeader.check(p, PacketBuilder.ICMP, "10.214.0.2", "10.214.0.1");
        assertEquals(3, u8(p, 20), "destination unreachable");
        assertEquals(3, u8(p, 21), "port unreachable");
        assertEquals(0, checksum(p, 20, p.length - 20));
        assertArrayEquals(Arrays.copyOf(datagram, 28), Arrays.copyOfRange(p, 28, 56), "IP header + 8 bytes quoted");
        assertEquals(1, layer.drops().get(DropReason.UDP_PORT_CLOSED));
    }

    @Test
    void aBroadcastToAClosedPortIsNotAnswered() {
        input(PacketBuilder.ipv4("10.214.0.1", "10.214.255.255").udp(40000, 9, bytes("x")).build());
        input(PacketBuilder.ipv4("10.214.0.1", "255.255.255.255").udp(40000, 9, bytes("x")).build());

        assertEquals(0, tunnel.sent().size());
        assertEquals(2, layer.drops().get(DropReason.UDP_PORT_CLOSED));
    }

    @Test
    void portUnreachablesAreLimitedToTenASecond() {
        byte[] datagram = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").udp(40000, 9, bytes("x")).build();
        for (int i = 0; i < 15; i++) {
            input(datagram);
        }
        assertEquals(10, tunnel.sent().size(), "a burst of 10");
        assertEquals(5, layer.drops().get(DropReason.UNREACHABLE_RATE_LIMITED));

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        input(datagram);
        input(datagram);
        assertEquals(11, tunnel.sent().size(), "one more after 100 ms");

        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        for (int i = 0; i < 15; i++) {
            input(datagram);
        }
        assertEquals(21, tunnel.sent().size(), "a full burst again, no more, after a long pause");
        assertEquals(11, layer.drops().get(DropReason.UNREACHABLE_RATE_LIMITED));
        assertEquals(32, layer.drops().get(DropReason.UDP_PORT_CLOSED));
    }

    @Test
    void aFullQueueDropsWhatArrivesAndCountsIt() throws Exception {
        try (UdpSocket s = layer.bind(5000)) {
            for (int i = 0; i < Ipv4Layer.UDP_QUEUE + 3; i++) {
                input(PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").udp(40000, 5000, new byte[] {(byte) i, (byte) (i >> 8)}).build());
            }

            assertEquals(3, layer.drops().get(DropReason.UDP_QUEUE_FULL));
            for (int i = 0; i < Ipv4Layer.UDP_QUEUE; i++) {
                assertArrayEquals(new byte[] {(byte) i, (byte) (i >> 8)}, s.receive(WAIT).data(), "in order, #" + i);
            }
            assertNull(s.receive(Duration.ZERO));
        }
    }

    @Test
    void sendBuildsAnIpv4UdpPacketWithCorrectChecksums() throws Exception {
        byte[] data = bytes("odd-length data"); // 15 bytes: the checksum pads the last one
        try (UdpSocket s = layer.bind(5000)) {
            byte[] framed = new byte[data.length + 6];
            System.arraycopy(data, 0, framed, 3, data.length);
            s.send(ipv4("10.214.7.1"), 53, framed, 3, data.length);
        }

        byte[] p = tunnel.only();
        assertEquals(20 + 8 + data.length, p.length);
        assertEquals(0x45, u8(p, 0));
        assertEquals(0, u16(p, 6) & 0x3fff, "not a fragment");
        SentHeader.check(p, PacketBuilder.UDP, "10.214.0.2", "10.214.7.1"); // from the interface's address
        assertEquals(5000, u16(p, 20));
        assertEquals(53, u16(p, 22));
        assertEquals(8 + data.length, u16(p, 24));
        assertNotEquals(0, u16(p, 26), "a checksum is sent");
        assertEquals(0, transportChecksum(p, 20, p.length - 20), "UDP checksum with pseudo header");
        assertArrayEquals(data, Arrays.copyOfRange(p, 28, p.length));
    }

    @Test
    void sendTakesTheInterfaceWithTheLongestPrefix() throws Exception {
        RecordingTunnel narrow = new RecordingTunnel();
        VirtualBackend.Attachment wg4 = TunnelInterfaces.attachUp(layer, 4, "10.214.5.2", "255.255.255.0", narrow);
        try (UdpSocket s = layer.bind(0)) {
            s.send(ipv4("10.214.5.9"), 7, bytes("in /24"), 0, 6);
            s.send(ipv4("10.214.6.9"), 7, bytes("in /16"), 0, 6);

            assertEquals("10.214.5.2", address(narrow.only(), 12));
            assertEquals("10.214.5.9", address(narrow.only(), 16));
            assertEquals("10.214.0.2", address(tunnel.only(), 12));
            assertEquals("10.214.6.9", address(tunnel.only(), 16));

            wg4.close();
            s.send(ipv4("10.214.5.9"), 7, bytes("in /16"), 0, 6);
            assertEquals(2, tunnel.sent().size(), "once the /24 is gone, the /16 covers it");
        }
    }

    @Test
    void whenTheCoveringTunnelIsDownNothingIsSentNotEvenByAWiderOne() throws Exception {
        RecordingTunnel narrow = new RecordingTunnel();
        layer.attach(TunnelInterfaces.info(4, "10.214.5.2", "255.255.255.0"), narrow); // link down
        try (UdpSocket s = layer.bind(0)) {
            IOException e = assertThrows(IOException.class, () -> s.send(ipv4("10.214.5.9"), 7, bytes("x"), 0, 1));

            assertEquals("tunnel wg4 is down: not sent", e.getMessage());
            assertEquals(0, narrow.sent().size());
            assertEquals(0, tunnel.sent().size());
        }
    }

    @Test
    void noCoveringInterfaceMeansNoRoute() throws Exception {
        try (UdpSocket s = layer.bind(0)) {
            IOException e = assertThrows(IOException.class, () -> s.send(ipv4("192.168.1.1"), 7, bytes("x"), 0, 1));

            assertTrue(e.getMessage().startsWith("no route to 192.168.1.1"), e.getMessage());
            assertEquals(0, tunnel.sent().size());
        }
    }

    @Test
    void sendingToOurOwnAddressIsRefused() throws Exception {
        try (UdpSocket s = layer.bind(0)) {
            IOException e = assertThrows(IOException.class, () -> s.send(ipv4("10.214.0.2"), 7, bytes("x"), 0, 1));

            assertTrue(e.getMessage().contains("own address"), e.getMessage());
            assertEquals(0, tunnel.sent().size());
        }
    }

    @Test
    void closingASocketWakesItsReceiverAndRefusesSends() throws Exception {
        UdpSocket s = layer.bind(5000);
        CompletableFuture<UdpSocket.Datagram> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return s.receive(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        s.close();

        assertNull(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> s.send(ipv4("10.214.0.1"), 7, bytes("x"), 0, 1));
        input(PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").udp(1, 5000, bytes("late")).build());
        assertEquals(1, layer.drops().get(DropReason.UDP_PORT_CLOSED), "the port is closed again");
    }

    @Test
    void receiveGivesNullAfterItsTimeout() throws Exception {
        try (UdpSocket s = layer.bind(5000)) {
            assertNull(s.receive(Duration.ofMillis(20)));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
