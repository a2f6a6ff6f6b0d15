package org.wgkaraf.netif.tun;

import java.util.concurrent.atomic.AtomicLongArray;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.Checksum;
import org.wgkaraf.netif.ip.Ipv4Header;

/**
 * Turns what a TUN device with offloads gives (a {@link VnetHeader} and a packet, which may be a
 * TCP super-segment of up to 64 KiB, its checksum left partial) into the plain IPv4 packets a peer
 * expects, each no longer than the interface's MTU and with every checksum complete.
 *
 * <p>Why: with TSO the kernel's TCP hands over one super-segment where it would have handed over
 * up to 45 packets, which saves it the per-packet work of its stack and saves us a read system
 * call (and a JNA transition) per packet. The split is what a network card would do: each segment
 * gets a copy of the headers with its own IP total length, IP ID (incremented), IP header
 * checksum, TCP sequence number, flags (FIN and PSH only on the last segment, CWR only on the
 * first) and complete TCP checksum. A packet without GSO whose checksum is partial gets it finished.
 *
 * <p>The split is in place: segment i's headers are written just before its payload, over the end
 * of the payload of segment i-1, which the sink has consumed by then ({@link PacketSink#deliver}
 * copies or consumes before it returns). The segments of a super-segment go to
 * {@link PacketSink#deliverMore}, a burst the reader ends with a flush; a plain packet goes to
 * {@link PacketSink#deliver}. Nothing is allocated per packet.
 *
 * <p>What the kernel hands over is trusted no further than its lengths check out: a header that
 * claims more than was read, a segment size of 0, a checksum position outside the packet, a GSO
 * type not asked for, or a super-segment that is not plain IPv4/TCP is dropped and counted, never
 * thrown. One thread uses an instance (the device's reader); the counters may be read by any.
 */
final class TsoSplitter {
    /** Why a read was dropped. */
    enum Drop {
        /** Shorter than the vnet header, or than the IPv4 and TCP headers it claims. */
        TRUNCATED,
        /** The partial checksum's position lies outside the packet. */
        BAD_CHECKSUM_POSITION,
        /** A super-segment with a segment size of 0, or one whose segments would not fit a packet. */
        BAD_GSO_SIZE,
        /** A GSO type other than TCPv4 (none other is enabled), or a TCPv4 super-segment that is not IPv4/TCP. */
        UNSUPPORTED_GSO,
        /** A super-segment that is an IP fragment or has a partial checksum elsewhere than TCP's. */
        MALFORMED_SUPER_SEGMENT
    }

    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    /** Largest IPv4 plus largest TCP header. */
    private static final int MAX_HEADERS = 60 + 60;

    private final byte[] headers = new byte[MAX_HEADERS];
    private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);
    private long superSegments;
    private long segments;

    /**
     * Splits what one read gave, {@code b[off, off + len)} (the vnet header, then the packet), and
     * hands each resulting packet to {@code out}. Returns the number of packets handed over (0
     * when the read was dropped).
     */
    int split(byte[] b, int off, int len, PacketSink out) {
        if (len < VnetHeader.SIZE) {
            return drop(Drop.TRUNCATED);
        }
        int flags = VnetHeader.flags(b, off);
        int gsoType = VnetHeader.gsoType(b, off) & ~VnetHeader.GSO_ECN;
        int csumStart = VnetHeader.csumStart(b, off);
        int csumOffset = VnetHeader.csumOffset(b, off);
        int p = off + VnetHeader.SIZE;
        int plen = len - VnetHeader.SIZE;
        if (gsoType == VnetHeader.GSO_NONE) {
            if ((flags & VnetHeader.F_NEEDS_CSUM) != 0) {
                if ((long) csumStart + csumOffset + 2 > plen) {
                    return drop(Drop.BAD_CHECKSUM_POSITION);
                }
                int c = Checksum.fold(Checksum.sum(b, p + csumStart, plen - csumStart, 0));
                if (c == 0 && csumOffset == UDP_CHECKSUM_OFFSET) {
                    c = 0xffff; // UDP sends a computed 0 as all ones (0 means "no checksum")
                }
                Bytes.put16(b, p + csumStart + csumOffset, c);
            }
            out.deliver(b, p, plen);
            return 1;
        }
        if (gsoType != VnetHeader.GSO_TCPV4) {
            return drop(Drop.UNSUPPORTED_GSO);
        }
        return splitTcp4(b, p, plen, VnetHeader.gsoSize(b, off), flags, csumStart, csumOffset, out);
    }

    private int splitTcp4(byte[] b, int p, int plen, int gsoSize, int flags, int csumStart, int csumOffset, PacketSink out) {
        if (plen < 40) {
            return drop(Drop.TRUNCATED);
        }
        if ((b[p] & 0xf0) != 0x40 || b[p + Ipv4Header.PROTOCOL] != Ipv4Header.PROTOCOL_TCP) {
            return drop(Drop.UNSUPPORTED_GSO);
        }
        int ihl = (b[p] & 0x0f) * 4;
        if (ihl < 20 || plen < ihl + 20) {
            return drop(Drop.TRUNCATED);
        }
        int thl = ((b[p + ihl + 12] & 0xff) >>> 4) * 4;
        int hdrs = ihl + thl;
        if (thl < 20 || hdrs > plen) {
            return drop(Drop.TRUNCATED);
        }
        if ((flags & VnetHeader.F_NEEDS_CSUM) == 0 || csumStart != ihl || csumOffset != TCP_CHECKSUM_OFFSET
                || (Bytes.get16(b, p + 6) & 0x3fff) != 0) {
            return drop(Drop.MALFORMED_SUPER_SEGMENT);
        }
        if (gsoSize == 0 || hdrs + gsoSize > TunDevice.MAX_PACKET) {
            return drop(Drop.BAD_GSO_SIZE);
        }
        System.arraycopy(b, p, headers, 0, hdrs);
        int source = Bytes.get32(headers, 12);
        int destination = Bytes.get32(headers, 16);
        int id = Bytes.get16(headers, 4);
        int seq = Bytes.get32(headers, ihl + 4);
        int tcpFlags = headers[ihl + 13] & 0xff;
        int end = p + plen;
        int n = 0;
        int start = p + hdrs;
        do {
            int segLen = Math.min(gsoSize, end - start);
            boolean last = start + segLen >= end;
            int at = start - hdrs;
            if (n > 0) {
                System.arraycopy(headers, 0, b, at, hdrs);
            }
            Bytes.put16(b, at + 2, hdrs + segLen);
            Bytes.put16(b, at + 4, id + n);
            Bytes.put16(b, at + 10, 0);
            Bytes.put16(b, at + 10, Checksum.of(b, at, ihl));
            Bytes.put32(b, at + ihl + 4, seq + n * gsoSize);
            int f = tcpFlags;
            if (!last) {
                f &= ~(FIN | PSH);
            }
            if (n > 0) {
                f &= ~CWR;
            }
            b[at + ihl + 13] = (byte) f;
            Bytes.put16(b, at + ihl + TCP_CHECKSUM_OFFSET, 0);
            int tcpLen = thl + segLen;
            Bytes.put16(b, at + ihl + TCP_CHECKSUM_OFFSET,
                    Checksum.transport(source, destination, Ipv4Header.PROTOCOL_TCP, b, at + ihl, tcpLen));
            out.deliverMore(b, at, hdrs + segLen);
            n++;
            start += segLen;
        } while (start < end);
        superSegments++;
        segments += n;
        return n;
    }

    private int drop(Drop why) {
        drops.incrementAndGet(why.ordinal());
        return 0;
    }

    long drops(Drop why) {
        return drops.get(why.ordinal());
    }

    long drops() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) {
            sum += drops.get(i);
        }
        return sum;
    }

    /** Super-segments split so far, and the segments they made (read by the reader thread only; approximate elsewhere). */
    long superSegments() {
        return superSegments;
    }

    long segments() {
        return segments;
    }

    @Override
    public String toString() {
        return "split " + superSegments + " super-segments into " + segments + " segments, dropped " + drops();
    }
}
