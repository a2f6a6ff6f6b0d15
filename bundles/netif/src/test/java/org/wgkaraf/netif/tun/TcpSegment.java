package org.wgkaraf.netif.tun;

import java.util.Arrays;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * IPv4/TCP packets built by hand for the offload tests, with what {@link PacketBuilder} has no
 * setter for (TCP options, the window, the urgent pointer); checksums by {@link PacketBuilder}'s
 * own RFC 1071 routine, independent of the code under test.
 */
final class TcpSegment {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    int sourcePort = 40000;
    int destinationPort = 5201;
    long seq = 1000;
    long ack = 777;
    int flags = ACK;
    int window = 500;
    int urgent;
    int id = 0x1234;
    int ttl = 64;
    int fragment = 0x4000; // DF
    byte[] ipOptions = new byte[0];
    byte[] tcpOptions = new byte[0];
    byte[] payload = new byte[0];

    TcpSegment seq(long s) {
        seq = s;
        return this;
    }

    TcpSegment flags(int f) {
        flags = f;
        return this;
    }

    TcpSegment payload(byte[] p) {
        payload = p;
        return this;
    }

    /** NOP, NOP, timestamps (kind 8): 12 bytes. */
    TcpSegment timestamps(int value, int echo) {
        tcpOptions = new byte[] {1, 1, 8, 10, (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value,
            (byte) (echo >>> 24), (byte) (echo >>> 16), (byte) (echo >>> 8), (byte) echo};
        return this;
    }

    TcpSegment copy() {
        TcpSegment c = new TcpSegment();
        c.sourcePort = sourcePort;
        c.destinationPort = destinationPort;
        c.seq = seq;
        c.ack = ack;
        c.flags = flags;
        c.window = window;
        c.urgent = urgent;
        c.id = id;
        c.ttl = ttl;
        c.fragment = fragment;
        c.ipOptions = ipOptions;
        c.tcpOptions = tcpOptions;
        c.payload = payload;
        return c;
    }

    /** The packet, both checksums right. */
    byte[] build() {
        int ihl = 20 + ipOptions.length;
        int thl = 20 + tcpOptions.length;
        byte[] p = new byte[ihl + thl + payload.length];
        p[0] = (byte) (0x40 | ihl / 4);
        put16(p, 2, p.length);
        put16(p, 4, id);
        put16(p, 6, fragment);
        p[8] = (byte) ttl;
        p[9] = 6;
        System.arraycopy(new byte[] {10, 1, 2, 3}, 0, p, 12, 4);
        System.arraycopy(new byte[] {10, 1, 2, 4}, 0, p, 16, 4);
        System.arraycopy(ipOptions, 0, p, 20, ipOptions.length);
        put16(p, 10, PacketBuilder.checksum(p, 0, ihl));
        int t = ihl;
        put16(p, t, sourcePort);
        put16(p, t + 2, destinationPort);
        put32(p, t + 4, (int) seq);
        put32(p, t + 8, (int) ack);
        p[t + 12] = (byte) (thl / 4 << 4);
        p[t + 13] = (byte) flags;
        put16(p, t + 14, window);
        put16(p, t + 18, urgent);
        System.arraycopy(tcpOptions, 0, p, t + 20, tcpOptions.length);
        System.arraycopy(payload, 0, p, t + thl, payload.length);
        put16(p, t + 16, PacketBuilder.transportChecksum(p, t, p.length - t));
        return p;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
        }
        return b;
    }

    /** The packet's IPv4 header checksum checks out, and its TCP checksum too. */
    static boolean checksumsRight(byte[] p) {
        int ihl = (p[0] & 0x0f) * 4;
        return PacketBuilder.checksum(p, 0, ihl) == 0 && PacketBuilder.transportChecksum(p, ihl, p.length - ihl) == 0;
    }

    static byte[] tcpPayload(byte[] p) {
        int ihl = (p[0] & 0x0f) * 4;
        int thl = ((p[ihl + 12] & 0xff) >>> 4) * 4;
        return Arrays.copyOfRange(p, ihl + thl, p.length);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }
}
