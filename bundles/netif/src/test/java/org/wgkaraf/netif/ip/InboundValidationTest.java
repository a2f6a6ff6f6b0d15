package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * Every malformed or foreign packet is dropped, counted under its reason, and answered with
 * nothing. Each case is a packet that would be answered (echo reply, port unreachable or reset)
 * were it not for its one fault, so "nothing sent" means the check stopped it.
 */
class InboundValidationTest {
    private static final String PEER = "10.214.0.1";
    private static final String US = "10.214.0.2";
    private final Ipv4Layer layer = new Ipv4Layer();
    private final RecordingTunnel tunnel = new RecordingTunnel();
    private final VirtualBackend.Attachment wg = TunnelInterfaces.attachUp(layer, 3, US, "255.255.255.0", tunnel);

    private static PacketBuilder echo() {
        return PacketBuilder.ipv4(PEER, US).echoRequest(1, 1, new byte[16]);
    }

    private static PacketBuilder echo(String source, String destination) {
        return PacketBuilder.ipv4(source, destination).echoRequest(1, 1, new byte[16]);
    }

    private static PacketBuilder udp() {
        return PacketBuilder.ipv4(PEER, US).udp(40000, 9, new byte[11]);
    }

    private static PacketBuilder tcp() {
        return PacketBuilder.ipv4(PEER, US).tcp(40000, 22, 1000, 0, PacketBuilder.SYN, new byte[0]);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("empty", new byte[0], DropReason.TRUNCATED),
                arguments("19 bytes", echo().truncateTo(19).build(), DropReason.TRUNCATED),
                arguments("version 6", echo().version(6).build(), DropReason.NOT_IPV4),
                arguments("version 0", echo().version(0).build(), DropReason.NOT_IPV4),
                arguments("header length 4 words", echo().headerWords(4).build(), DropReason.BAD_HEADER_LENGTH),
                arguments("header length beyond the packet", echo().headerWords(15).build(), DropReason.BAD_HEADER_LENGTH),
                arguments("total length beyond the bytes", echo().totalLength(45).build(), DropReason.BAD_TOTAL_LENGTH),
                arguments("total length under the header", echo().totalLength(12).build(), DropReason.BAD_TOTAL_LENGTH),
                arguments("bytes beyond the total length", echo().trailing(3).build(), DropReason.BAD_TOTAL_LENGTH),
                arguments("cut short", echo().truncateTo(30).build(), DropReason.BAD_TOTAL_LENGTH),
                arguments("header checksum", echo().corruptHeaderChecksum().build(), DropReason.BAD_HEADER_CHECKSUM),
                arguments("options", echo().options(new byte[] {1, 1, 1, 0}).build(), DropReason.IP_OPTIONS),
                arguments("more fragments", echo().fragment(0x2000).build(), DropReason.FRAGMENT),
                arguments("fragment offset", echo().fragment(0x0001).build(), DropReason.FRAGMENT),
                arguments("last fragment", echo().fragment(0x4000 | 185).build(), DropReason.FRAGMENT),
                arguments("TTL 0", echo().ttl(0).build(), DropReason.TTL_ZERO),
                arguments("to another host", echo(PEER, "10.214.0.3").build(), DropReason.NOT_FOR_US),
                arguments("to another subnet's broadcast", echo(PEER, "10.214.1.255").build(), DropReason.NOT_FOR_US),
                arguments("to a multicast group", echo(PEER, "224.0.0.1").build(), DropReason.NOT_FOR_US),
                arguments("from 0.0.0.0", echo("0.0.0.0", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from 0.1.2.3", echo("0.1.2.3", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from loopback", echo("127.0.0.1", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from 127.9.9.9", echo("127.9.9.9", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from multicast", echo("224.0.0.5", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from 239.255.255.250", echo("239.255.255.250", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from the limited broadcast", echo("255.255.255.255", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from the subnet broadcast", echo("10.214.0.255", US).build(), DropReason.MARTIAN_SOURCE),
                arguments("from our own address", echo(US, US).build(), DropReason.MARTIAN_SOURCE),
                arguments("ICMP of 4 bytes", PacketBuilder.ipv4(PEER, US).raw(1, new byte[] {8, 0, 0, 0}).build(),
                        DropReason.ICMP_TRUNCATED),
                arguments("ICMP checksum", echo().corruptTransportChecksum().build(), DropReason.ICMP_BAD_CHECKSUM),
                arguments("UDP of 7 bytes", PacketBuilder.ipv4(PEER, US).raw(17, new byte[] {1, 2, 0, 9, 0, 7, 0}).build(),
                        DropReason.UDP_TRUNCATED),
                arguments("UDP length under 8", udp().payloadByte(4, 0).payloadByte(5, 7).build(), DropReason.UDP_TRUNCATED),
                arguments("UDP length beyond the packet", udp().payloadByte(4, 0).payloadByte(5, 20).build(),
                        DropReason.UDP_TRUNCATED),
                arguments("UDP checksum", udp().corruptTransportChecksum().build(), DropReason.UDP_BAD_CHECKSUM),
                arguments("TCP of 19 bytes", PacketBuilder.ipv4(PEER, US).raw(6, new byte[19]).build(), DropReason.TCP_TRUNCATED),
                arguments("TCP data offset 4 words", tcp().payloadByte(12, 4 << 4).build(), DropReason.TCP_TRUNCATED),
                arguments("TCP data offset beyond the segment", tcp().payloadByte(12, 6 << 4).build(), DropReason.TCP_TRUNCATED),
                arguments("TCP checksum", tcp().corruptTransportChecksum().build(), DropReason.TCP_BAD_CHECKSUM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isDroppedCountedAndNotAnswered(String name, byte[] packet, DropReason reason) {
        wg.input(packet, 0, packet.length);

        assertEquals(0, tunnel.sent().size(), "nothing sent");
        Map<DropReason, Long> drops = layer.drops();
        for (DropReason r : DropReason.values()) {
            assertEquals(r == reason ? 1L : 0L, drops.get(r), r.name());
        }
    }

    @Test
    void theWellFormedBasesOfTheCasesAreAnswered() {
        for (byte[] p : new byte[][] {echo().build(), udp().build(), tcp().build()}) {
            wg.input(p, 0, p.length);
        }

        assertEquals(3, tunnel.sent().size(), "echo reply, port unreachable, reset");
    }

    @Test
    void aDatagramWithoutChecksumIsAccepted() {
        byte[] p = udp().noUdpChecksum().build();

        wg.input(p, 0, p.length);

        assertEquals(1, layer.drops().get(DropReason.UDP_PORT_CLOSED), "it reached the port lookup");
        assertEquals(0, layer.drops().get(DropReason.UDP_BAD_CHECKSUM));
    }

    @Test
    void outOfRangeArgumentsAreCountedNotThrown() {
        byte[] p = echo().build();

        wg.input(p, 10, p.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(1, layer.drops().get(DropReason.INTERNAL_ERROR));
    }

    /** Damaged copies of answerable packets: whatever the damage, the layer counts it and goes on. */
    @Test
    void randomDamageNeverThrowsNorTripsAnInternalError() {
        Random random = new Random(20240601);
        byte[][] bases = {echo().build(), udp().build(), tcp().build(),
                PacketBuilder.ipv4(PEER, US).raw(1, new byte[40]).build()};
        for (int i = 0; i < 20000; i++) {
            byte[] base = bases[i % bases.length];
            byte[] p = base.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                p[random.nextInt(p.length)] = (byte) random.nextInt(256);
            }
            int len = random.nextInt(8) == 0 ? random.nextInt(p.length + 1) : p.length;
            wg.input(p, 0, len);
        }
        byte[] noise = new byte[200];
        for (int i = 0; i < 5000; i++) {
            random.nextBytes(noise);
            noise[0] = (byte) (0x45 + random.nextInt(11));
            wg.input(noise, 0, random.nextInt(noise.length + 1));
        }

        assertEquals(0L, layer.drops().get(DropReason.INTERNAL_ERROR));
    }
}
