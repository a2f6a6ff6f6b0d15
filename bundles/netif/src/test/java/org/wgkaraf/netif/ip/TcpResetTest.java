package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ACK;
import static org.wgkaraf.testsupport.packet.PacketBuilder.FIN;
import static org.wgkaraf.testsupport.packet.PacketBuilder.PSH;
import static org.wgkaraf.testsupport.packet.PacketBuilder.RST;
import static org.wgkaraf.testsupport.packet.PacketBuilder.SYN;
import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.transportChecksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u32;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** Every TCP port is closed: segments are answered as RFC 793 answers a connection that does not exist. */
class TcpResetTest {
    private final Ipv4Layer layer = new Ipv4Layer();
    private final RecordingTunnel tunnel = new RecordingTunnel();
    private final VirtualBackend.Attachment wg = TunnelInterfaces.attachUp(layer, 3, "10.214.0.2", "255.255.255.0", tunnel);

    private byte[] answerTo(long seq, long ack, int flags, byte[] data) {
        byte[] segment = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").tcp(40000, 22, seq, ack, flags, data).build();
        wg.input(segment, 0, segment.length);
        byte[] p = tunnel.only();
        assertEquals(40, p.length, "IP and TCP headers, no data");
        SentHeader.check(p, PacketBuilder.TCP, "10.214.0.2", "10.214.0.1");
        assertEquals(22, u16(p, 20), "source port: the one asked for");
        assertEquals(40000, u16(p, 22));
        assertEquals(5 << 4, u8(p, 32), "data offset 5 words");
        assertEquals(0, transportChecksum(p, 20, 20), "TCP checksum with pseudo header");
        assertEquals(1, layer.drops().get(DropReason.TCP_NO_LISTENER));
        return p;
    }

    @Test
    void aSynIsAnsweredWithResetAckingItsSequencePlusOne() {
        byte[] p = answerTo(1_000_000, 0, SYN, new byte[0]);

        assertEquals(RST | ACK, u8(p, 33));
        assertEquals(0, u32(p, 24), "seq 0");
        assertEquals(1_000_001, u32(p, 28), "ack = SEG.SEQ + 1 for the SYN");
    }

    @Test
    void aSegmentWithoutAckHasItsDataSynAndFinAcknowledged() {
        byte[] p = answerTo(0xfffffff0L, 0, SYN | FIN, new byte[20]);

        assertEquals(RST | ACK, u8(p, 33));
        assertEquals(0, u32(p, 24));
        assertEquals(0x00000006L, u32(p, 28), "SEG.SEQ + 20 + SYN + FIN, modulo 2^32");
    }

    @Test
    void aSegmentWithAckGetsAResetAtItsAcknowledgmentAndNoAck() {
        byte[] p = answerTo(5000, 0xdeadbeefL, PSH | ACK, new byte[] {1, 2, 3});

        assertEquals(RST, u8(p, 33));
        assertEquals(0xdeadbeefL, u32(p, 24), "seq = SEG.ACK");
        assertEquals(0, u32(p, 28));
    }

    @Test
    void aResetIsNeverAnswered() {
        byte[] segment = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").tcp(40000, 22, 1, 2, RST | ACK, new byte[0]).build();

        wg.input(segment, 0, segment.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(1, layer.drops().get(DropReason.TCP_RESET_RECEIVED));
    }

    @Test
    void aSegmentToBroadcastIsNotAnswered() {
        byte[] segment = PacketBuilder.ipv4("10.214.0.1", "10.214.0.255").tcp(40000, 22, 1, 0, SYN, new byte[0]).build();

        wg.input(segment, 0, segment.length);

        assertEquals(0, tunnel.sent().size());
        assertEquals(1, layer.drops().get(DropReason.TCP_NO_LISTENER));
    }

    @Test
    void anotherProtocolIsAnsweredWithProtocolUnreachable() {
        byte[] gre = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").raw(47, new byte[24]).build();

        wg.input(gre, 0, gre.length);

        byte[] p = tunnel.only();
        assertEquals(3, u8(p, 20));
        assertEquals(2, u8(p, 21), "protocol unreachable");
        assertEquals(0, checksum(p, 20, p.length - 20));
        assertArrayEquals(Arrays.copyOf(gre, 28), Arrays.copyOfRange(p, 28, p.length));
        assertEquals(1, layer.drops().get(DropReason.PROTOCOL_UNSUPPORTED));
    }
}
