package org.wgkaraf.testsupport.packet;

import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IPv4 ICMP echo packets for a Java end of a tunnel that is not a host (the engine alone, in its
 * interop tests): builds echo requests, parses what the tunnel delivers, and builds the reply to a
 * request. Headers and checksums come from {@link PacketBuilder}.
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
        public boolean isEchoRequest() {
            return protocol == PROTOCOL_ICMP && icmpType == ECHO_REQUEST && icmpCode == 0;
        }

        public boolean isEchoReply() {
            return protocol == PROTOCOL_ICMP && icmpType == ECHO_REPLY && icmpCode == 0;
        }
    }

    private Ipv4Icmp() {
    }

    /**
     * An IPv4 packet (no options, TTL 64, DF) carrying an ICMP echo request; its identification is
     * the sequence number, which keeps it distinct.
     */
    public static byte[] echoRequest(Inet4Address src, Inet4Address dst, int id, int seq, byte[] payload) {
        int total = IP_HEADER + ICMP_HEADER + payload.length;
        if (total > 65535) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes does not fit an IPv4 packet");
        }
        return PacketBuilder.ipv4(src, dst).identification(seq).echoRequest(id, seq, payload).build();
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
