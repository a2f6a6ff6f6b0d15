package org.wgkaraf.netif.tun;

import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.Checksum;
import org.wgkaraf.netif.ip.Ipv4Header;

/**
 * Joins consecutive TCP segments of one flow that arrive through the tunnel into one super-segment
 * for a TUN device with offloads, as a network card's receive offload (GRO) would: the kernel then
 * runs its IP and TCP receive path once per 64 KiB instead of once per segment, and we make one
 * write system call instead of up to 45.
 *
 * <p>A segment joins the one held when it continues it exactly: the same addresses, ports, TOS,
 * TTL and DF; the next sequence number; the same acknowledgment number, window and TCP options
 * (timestamps included); flags ACK, or ACK|PSH on the segment that ends it; no IP options, not a
 * fragment; a payload no longer than the first segment's (a shorter one ends it too); both of its
 * checksums verified. Everything else (other flows, SYN, FIN, RST, URG, ECE/CWR, pure ACKs, other
 * protocols, a bad checksum, which the kernel will count) goes out as it came, after what was held,
 * so no flow is reordered.
 *
 * <p>The super-segment is written with {@code NEEDS_CSUM} and the pseudo-header's sum in its TCP
 * checksum field rather than a complete checksum. Why: every segment in it was verified here, and a
 * partial checksum is what the kernel's own receive offload produces; the kernel takes it as
 * verified for local delivery (no second pass over 64 KiB), and completes it per segment should it
 * forward the packet.
 *
 * <p>What is held is bounded by one IPv4 packet (64 KiB): a segment that would make it longer
 * sends the held one first. The owner must call {@link #flush()} when a burst ends (nothing more is
 * waiting), or a held segment waits for the next one. Not thread-safe: the owner serialises calls.
 */
final class TcpCoalescer {
    /**
     * Where packets go: each after its vnet header ({@link VnetHeader#EMPTY} for a plain one);
     * {@code segments} is how many of the packets added it carries.
     */
    interface Output {
        void write(byte[] vnetHeader, byte[] packet, int offset, int length, int segments);
    }

    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int IP_HEADER = Ipv4Header.LENGTH;

    private final Output out;
    private final byte[] held = new byte[TunDevice.MAX_PACKET];
    private final byte[] header = new byte[VnetHeader.SIZE];
    /** Segments in {@link #held}; 0: nothing held. */
    private int segments;
    private int heldLength;
    private int headersLength;
    private int segmentSize;
    private int nextSeq;
    private long coalesced;
    private long superSegments;

    TcpCoalescer(Output out) {
        this.out = out;
    }

    /** Takes one packet from the tunnel: held, joined to what is held, or written. */
    void add(byte[] b, int off, int len) {
        int payload = joinablePayload(b, off, len);
        if (payload < 0) {
            flush();
            out.write(VnetHeader.EMPTY, b, off, len, 1);
            return;
        }
        boolean push = (b[off + IP_HEADER + 13] & PSH) != 0;
        if (segments > 0 && continues(b, off, len, payload)) {
            System.arraycopy(b, off + len - payload, held, heldLength, payload);
            heldLength += payload;
            nextSeq += payload;
            segments++;
            if (push) {
                held[IP_HEADER + 13] |= PSH;
            }
            if (push || payload < segmentSize) {
                flush();
            }
            return;
        }
        flush();
        if (push) {
            out.write(VnetHeader.EMPTY, b, off, len, 1);
            return;
        }
        System.arraycopy(b, off, held, 0, len);
        segments = 1;
        heldLength = len;
        headersLength = len - payload;
        segmentSize = payload;
        nextSeq = Bytes.get32(b, off + IP_HEADER + 4) + payload;
    }

    /** Writes what is held: as it came when it is one segment, else as a super-segment. */
    void flush() {
        if (segments == 0) {
            return;
        }
        if (segments == 1) {
            segments = 0;
            out.write(VnetHeader.EMPTY, held, 0, heldLength, 1);
            return;
        }
        Bytes.put16(held, 2, heldLength);
        Bytes.put16(held, 10, 0);
        Bytes.put16(held, 10, Checksum.of(held, 0, IP_HEADER));
        long pseudo = Checksum.pseudoHeader(Bytes.get32(held, Ipv4Header.SOURCE), Bytes.get32(held, Ipv4Header.DESTINATION),
                Ipv4Header.PROTOCOL_TCP, heldLength - IP_HEADER);
        Bytes.put16(held, IP_HEADER + 16, ~Checksum.fold(pseudo) & 0xffff);
        VnetHeader.tcp4(header, 0, headersLength, segmentSize, IP_HEADER);
        int n = segments;
        coalesced += n;
        superSegments++;
        segments = 0;
        out.write(header, held, 0, heldLength, n);
    }

    /**
     * The payload length of a segment that may be held or joined (an IPv4 header without options,
     * not a fragment, TCP with flags ACK or ACK|PSH, a payload, both checksums right); -1 for any
     * other packet.
     */
    private static int joinablePayload(byte[] b, int off, int len) {
        if (len < IP_HEADER + 20 || b[off] != 0x45 || b[off + Ipv4Header.PROTOCOL] != Ipv4Header.PROTOCOL_TCP || Bytes.get16(b, off + 2) != len
                || (Bytes.get16(b, off + 6) & 0x3fff) != 0) {
            return -1;
        }
        int tcp = off + IP_HEADER;
        int thl = ((b[tcp + 12] & 0xff) >>> 4) * 4;
        int flags = b[tcp + 13] & 0xff;
        int payload = len - IP_HEADER - thl;
        if (thl < 20 || payload <= 0 || (flags & ~PSH) != ACK || Bytes.get16(b, tcp + 18) != 0) {
            return -1;
        }
        if (Checksum.of(b, off, IP_HEADER) != 0) {
            return -1;
        }
        if (Checksum.transport(Bytes.get32(b, off + Ipv4Header.SOURCE), Bytes.get32(b, off + Ipv4Header.DESTINATION),
                Ipv4Header.PROTOCOL_TCP, b, tcp, len - IP_HEADER) != 0) {
            return -1;
        }
        return payload;
    }

    /** Whether a joinable segment continues the held one and fits beside it. */
    private boolean continues(byte[] b, int off, int len, int payload) {
        int hl = len - payload;
        if (hl != headersLength || payload > segmentSize || heldLength + payload > held.length
                || Bytes.get32(b, off + IP_HEADER + 4) != nextSeq) {
            return false;
        }
        // IP: TOS (1), DF (6), TTL (8), addresses (12-19); TCP: ports (0-3), ACK (8-11), data offset and
        // flags (12, 13; the held segment has ACK), window (14, 15), options (20 on). Not compared: length,
        // ID, checksums, sequence number, urgent pointer (0 in both), and PSH (joinablePayload allows it).
        return b[off + 1] == held[1] && b[off + 6] == held[6] && b[off + 8] == held[8]
                && Bytes.get32(b, off + 12) == Bytes.get32(held, 12) && Bytes.get32(b, off + 16) == Bytes.get32(held, 16)
                && Bytes.get32(b, off + IP_HEADER) == Bytes.get32(held, IP_HEADER)
                && Bytes.get32(b, off + IP_HEADER + 8) == Bytes.get32(held, IP_HEADER + 8)
                && b[off + IP_HEADER + 12] == held[IP_HEADER + 12]
                && Bytes.get16(b, off + IP_HEADER + 14) == Bytes.get16(held, IP_HEADER + 14)
                && java.util.Arrays.equals(b, off + IP_HEADER + 20, off + hl, held, IP_HEADER + 20, hl);
    }

    /** Segments written inside super-segments, and the super-segments. */
    long coalesced() {
        return coalesced;
    }

    long superSegments() {
        return superSegments;
    }
}
