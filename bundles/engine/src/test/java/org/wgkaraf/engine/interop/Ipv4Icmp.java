package org.wgkaraf.engine.interop;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.wgkaraf.api.engine.IpPrefix;

/**
 * IPv4 ICMP echo packets for the Java side of interop tests, until the netif layer answers pings
 * itself: builds echo requests, parses what the tunnel delivers, and builds the reply to a request.
 */
public final class Ipv4Icmp {
    public static final int PROTOCOL_ICMP = 1;
    public static final int ECHO_REPLY = 0;
    public static final int ECHO_REQUEST = 8;
    private static final int IP_HEADER = 20;
    private static final int ICMP_HEADER = 8;

    /**
     * A parsed IPv4 packet. The ICMP fields are -1 and {@code icmpData} empty when the packet is
     * not ICMP (or too short to hold an ICMP header).
     */
    public record Packet(Inet4Address source, Inet4Address destination, int protocol, int ttl, int totalLength,
                  boolean headerChecksumOk, int icmpType, int icmpCode, int icmpId, int icmpSeq,
                  boolean icmpChecksumOk, byte[] icmpData) {
        boolean isEchoRequest() {
            return protocol == PROTOCOL_ICMP && icmpType == ECHO_REQUEST && icmpCode == 0;
        }

        boolean isEchoReply() {
            return protocol == PROTOCOL_ICMP && icmpType == ECHO_REPLY && icmpCode == 0;
        }
    }

    private Ipv4Icmp() {
    }

    /** An IPv4 packet (no options, TTL 64, DF) carrying an ICMP echo request. */
    public static byte[] echoRequest(Inet4Address src, Inet4Address dst, int id, int seq, byte[] payload) {
        int total = IP_HEADER + ICMP_HEADER + payload.length;
        if (total > 65535) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes does not fit an IPv4 packet");
        }
        byte[] p = new byte[total];
        p[0] = 0x45; // version 4, header of 5 words
        putShort(p, 2, total);
        putShort(p, 4, seq); // identification: any value; the sequence keeps it distinct
        putShort(p, 6, 0x4000); // don't fragment
        p[8] = 64;
        p[9] = PROTOCOL_ICMP;
        System.arraycopy(src.getAddress(), 0, p, 12, 4);
        System.arraycopy(dst.getAddress(), 0, p, 16, 4);
        putShort(p, 10, checksum(p, 0, IP_HEADER));
        int icmp = IP_HEADER;
        p[icmp] = ECHO_REQUEST;
        putShort(p, icmp + 4, id);
        putShort(p, icmp + 6, seq);
        System.arraycopy(payload, 0, p, icmp + ICMP_HEADER, payload.length);
        putShort(p, icmp + 2, checksum(p, icmp, total - icmp));
        return p;
    }

    /** Parses an IPv4 packet; throws IllegalArgumentException when it is not one. */
    public static Packet parse(byte[] b, int off, int len) {
        if (len < IP_HEADER) {
            throw new IllegalArgumentException(len + " bytes is shorter than an IPv4 header");
        }
        int version = (b[off] & 0xff) >>> 4;
        int ihl = (b[off] & 0x0f) * 4;
        if (version != 4 || ihl < IP_HEADER || ihl > len) {
            throw new IllegalArgumentException("not an IPv4 packet (version " + version + ", header " + ihl + " bytes)");
        }
        int total = getShort(b, off + 2);
        if (total < ihl || total > len) {
            throw new IllegalArgumentException("IPv4 total length " + total + " does not fit the " + len + " bytes received");
        }
        int protocol = b[off + 9] & 0xff;
        boolean headerOk = checksum(b, off, ihl) == 0;
        Inet4Address src = address(b, off + 12);
        Inet4Address dst = address(b, off + 16);
        int icmp = off + ihl;
        int icmpLen = total - ihl;
        if (protocol != PROTOCOL_ICMP || icmpLen < ICMP_HEADER) {
            return new Packet(src, dst, protocol, b[off + 8] & 0xff, total, headerOk, -1, -1, -1, -1, false, new byte[0]);
        }
        return new Packet(src, dst, protocol, b[off + 8] & 0xff, total, headerOk,
                b[icmp] & 0xff, b[icmp + 1] & 0xff, getShort(b, icmp + 4), getShort(b, icmp + 6),
                checksum(b, icmp, icmpLen) == 0, Arrays.copyOfRange(b, icmp + ICMP_HEADER, icmp + icmpLen));
    }

    /**
     * The echo reply to the echo request in {@code b}: addresses swapped, TTL 64, ICMP type 0, both
     * checksums recomputed; identifier, sequence and data are echoed. IP options are dropped.
     */
    public static byte[] echoReply(byte[] b, int off, int len) {
        Packet req = parse(b, off, len);
        if (!req.isEchoRequest()) {
            throw new IllegalArgumentException("not an ICMP echo request (protocol " + req.protocol() + ", type " + req.icmpType() + ")");
        }
        int ihl = (b[off] & 0x0f) * 4;
        int icmpLen = req.totalLength() - ihl;
        int total = IP_HEADER + icmpLen;
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[1] = b[off + 1];
        putShort(p, 2, total);
        putShort(p, 4, getShort(b, off + 4));
        putShort(p, 6, 0x4000);
        p[8] = 64;
        p[9] = PROTOCOL_ICMP;
        System.arraycopy(b, off + 16, p, 12, 4); // the request's destination is the reply's source
        System.arraycopy(b, off + 12, p, 16, 4);
        putShort(p, 10, checksum(p, 0, IP_HEADER));
        System.arraycopy(b, off + ihl, p, IP_HEADER, icmpLen);
        p[IP_HEADER] = ECHO_REPLY;
        p[IP_HEADER + 1] = 0;
        putShort(p, IP_HEADER + 2, 0);
        putShort(p, IP_HEADER + 2, checksum(p, IP_HEADER, icmpLen));
        return p;
    }

    /**
     * The Internet checksum (RFC 1071) of a range: with its checksum field zeroed it yields the value
     * to store; over a range that holds a correct checksum it yields 0.
     */
    public static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            sum += (b[off + i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static Inet4Address ipv4(String literal) {
        if (IpPrefix.parseLiteral(literal) instanceof Inet4Address v4) {
            return v4;
        }
        throw new IllegalArgumentException(literal + " is not an IPv4 address");
    }

    private static Inet4Address address(byte[] b, int off) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int getShort(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
