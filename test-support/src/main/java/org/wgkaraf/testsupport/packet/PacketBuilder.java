package org.wgkaraf.testsupport.packet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Builds IPv4 packets for tests: ICMP messages, UDP datagrams, TCP segments or any payload,
 * well-formed by default (header length, total length and every checksum computed), with a setter
 * for each field a test wants wrong. Checksums are computed by {@link #checksum} and {@link
 * #transportChecksum}, written here independently of the code under test.
 */
public final class PacketBuilder {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private int version = 4;
    private Integer headerWords;
    private Integer totalLength;
    private int identification = 0x1234;
    private int flagsFragment = 0x4000;
    private int ttl = 64;
    private int protocol;
    private byte[] source;
    private byte[] destination;
    private byte[] options = new byte[0];
    private byte[] payload = new byte[0];
    private boolean corruptHeaderChecksum;
    private boolean transportChecksum = true;
    private boolean corruptTransportChecksum;
    private int extraBytes;
    private Integer truncateTo;

    private PacketBuilder(Inet4Address source, Inet4Address destination) {
        this.source = source.getAddress();
        this.destination = destination.getAddress();
    }

    /** A packet from {@code source} to {@code destination}, both IPv4 literals. */
    public static PacketBuilder ipv4(String source, String destination) {
        return new PacketBuilder(ipv4(source), ipv4(destination));
    }

    public static PacketBuilder ipv4(Inet4Address source, Inet4Address destination) {
        return new PacketBuilder(source, destination);
    }

    public PacketBuilder echoRequest(int id, int seq, byte[] data) {
        return icmp(8, 0, id, seq, data);
    }

    public PacketBuilder echoReply(int id, int seq, byte[] data) {
        return icmp(0, 0, id, seq, data);
    }

    /** An ICMP message whose 4 bytes after the checksum are {@code id} and {@code seq}. */
    public PacketBuilder icmp(int type, int code, int id, int seq, byte[] data) {
        protocol = ICMP;
        payload = new byte[8 + data.length];
        payload[0] = (byte) type;
        payload[1] = (byte) code;
        put16(payload, 4, id);
        put16(payload, 6, seq);
        System.arraycopy(data, 0, payload, 8, data.length);
        return this;
    }

    public PacketBuilder udp(int sourcePort, int destinationPort, byte[] data) {
        protocol = UDP;
        payload = new byte[8 + data.length];
        put16(payload, 0, sourcePort);
        put16(payload, 2, destinationPort);
        put16(payload, 4, payload.length);
        System.arraycopy(data, 0, payload, 8, data.length);
        return this;
    }

    public PacketBuilder tcp(int sourcePort, int destinationPort, long seq, long ack, int flags, byte[] data) {
        protocol = TCP;
        payload = new byte[20 + data.length];
        put16(payload, 0, sourcePort);
        put16(payload, 2, destinationPort);
        put32(payload, 4, (int) seq);
        put32(payload, 8, (int) ack);
        payload[12] = 5 << 4;
        payload[13] = (byte) flags;
        put16(payload, 14, 65535);
        System.arraycopy(data, 0, payload, 20, data.length);
        return this;
    }

    /** Any protocol with raw payload bytes, taken as they are (no checksum is computed). */
    public PacketBuilder raw(int protocol, byte[] payload) {
        this.protocol = protocol;
        this.payload = payload.clone();
        this.transportChecksum = false;
        return this;
    }

    public PacketBuilder version(int v) {
        version = v;
        return this;
    }

    public PacketBuilder headerWords(int ihl) {
        headerWords = ihl;
        return this;
    }

    public PacketBuilder totalLength(int t) {
        totalLength = t;
        return this;
    }

    /** The identification field (default 0x1234). */
    public PacketBuilder identification(int id) {
        identification = id;
        return this;
    }

    public PacketBuilder fragment(int flagsAndOffset) {
        flagsFragment = flagsAndOffset;
        return this;
    }

    public PacketBuilder ttl(int t) {
        ttl = t;
        return this;
    }

    public PacketBuilder options(byte[] o) {
        options = o.clone();
        return this;
    }

    public PacketBuilder corruptHeaderChecksum() {
        corruptHeaderChecksum = true;
        return this;
    }

    public PacketBuilder corruptTransportChecksum() {
        corruptTransportChecksum = true;
        return this;
    }

    /** A UDP datagram sent without checksum (field 0, allowed over IPv4). */
    public PacketBuilder noUdpChecksum() {
        transportChecksum = false;
        return this;
    }

    /** Sets a byte of the payload; checksums are then computed over it. */
    public PacketBuilder payloadByte(int index, int value) {
        payload[index] = (byte) value;
        return this;
    }

    /** Appends bytes after the packet that its total length does not count. */
    public PacketBuilder trailing(int n) {
        extraBytes = n;
        return this;
    }

    /** Cuts the built packet to its first {@code n} bytes. */
    public PacketBuilder truncateTo(int n) {
        truncateTo = n;
        return this;
    }

    public byte[] build() {
        int header = 20 + options.length;
        int total = header + payload.length;
        byte[] p = new byte[total + extraBytes];
        p[0] = (byte) (version << 4 | (headerWords != null ? headerWords : header / 4) & 0x0f);
        put16(p, 2, totalLength != null ? totalLength : total);
        put16(p, 4, identification);
        put16(p, 6, flagsFragment);
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        System.arraycopy(source, 0, p, 12, 4);
        System.arraycopy(destination, 0, p, 16, 4);
        System.arraycopy(options, 0, p, 20, options.length);
        put16(p, 10, checksum(p, 0, header) ^ (corruptHeaderChecksum ? 0x0100 : 0));
        System.arraycopy(payload, 0, p, header, payload.length);
        int checksumAt = switch (protocol) {
            case ICMP -> 2;
            case UDP -> 6;
            case TCP -> 16;
            default -> -1;
        };
        if (checksumAt >= 0 && payload.length >= checksumAt + 2) {
            int sum = 0;
            if (protocol == ICMP) {
                sum = checksum(p, header, payload.length);
            } else if (transportChecksum) {
                sum = transportChecksum(p, header, payload.length);
                if (protocol == UDP && sum == 0) {
                    sum = 0xffff;
                }
            }
            put16(p, header + checksumAt, sum ^ (corruptTransportChecksum ? 0x0001 : 0));
        }
        return truncateTo != null ? Arrays.copyOf(p, truncateTo) : p;
    }

    /** RFC 1071 over a range, written for the tests: 0 over a range holding a correct checksum. */
    public static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xff;
            sum += (i % 2 == 0) ? v << 8 : v;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /** The UDP/TCP checksum of the segment at {@code off} in packet {@code p} (header at 0). */
    public static int transportChecksum(byte[] p, int off, int len) {
        byte[] pseudo = new byte[12 + len];
        System.arraycopy(p, 12, pseudo, 0, 8);
        pseudo[9] = p[9];
        put16(pseudo, 10, len);
        System.arraycopy(p, off, pseudo, 12, len);
        return checksum(pseudo, 0, pseudo.length);
    }

    /** The address a dotted-quad literal names; never a name lookup. */
    public static Inet4Address ipv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(literal + " is not an IPv4 address");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException(literal + " is not an IPv4 address");
            }
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    public static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16 | u16(b, off + 2)) & 0xffffffffL;
    }

    public static String address(byte[] b, int off) {
        return u8(b, off) + "." + u8(b, off + 1) + "." + u8(b, off + 2) + "." + u8(b, off + 3);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }
}
