package org.wgkaraf.netif.tun;

import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;

/**
 * Builds IPv4 ICMP echo requests into a caller's buffer and recognises the matching replies,
 * without allocating, so the allocation test measures the device alone ({@link
 * org.wgkaraf.testsupport.packet.PacketBuilder} allocates per packet; its checksum does not).
 */
final class EchoPackets {
    static final int HEADER = 20;
    static final int ICMP_HEADER = 8;

    private EchoPackets() {
    }

    /** Writes an echo request of {@code payload} bytes ((seq + i) & 0xff) into {@code out}; returns its length. */
    static int request(byte[] out, byte[] src, byte[] dst, int id, int seq, int payload) {
        int len = HEADER + ICMP_HEADER + payload;
        out[0] = 0x45;
        out[1] = 0;
        put16(out, 2, len);
        put16(out, 4, seq);
        put16(out, 6, 0x4000); // don't fragment
        out[8] = 64;
        out[9] = 1; // ICMP
        put16(out, 10, 0);
        System.arraycopy(src, 0, out, 12, 4);
        System.arraycopy(dst, 0, out, 16, 4);
        put16(out, 10, checksum(out, 0, HEADER));
        int icmp = HEADER;
        out[icmp] = 8; // echo request
        out[icmp + 1] = 0;
        put16(out, icmp + 2, 0);
        put16(out, icmp + 4, id);
        put16(out, icmp + 6, seq);
        for (int i = 0; i < payload; i++) {
            out[icmp + ICMP_HEADER + i] = (byte) (seq + i);
        }
        put16(out, icmp + 2, checksum(out, icmp, len - icmp));
        return len;
    }

    /** Whether {@code p} is the echo reply from {@code from} to {@code to} answering request (id, seq) with its payload. */
    static boolean isReply(byte[] p, int len, byte[] from, byte[] to, int id, int seq, int payload) {
        if (len != HEADER + ICMP_HEADER + payload || p[0] != 0x45 || p[9] != 1 || p[HEADER] != 0 || p[HEADER + 1] != 0) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (p[12 + i] != from[i] || p[16 + i] != to[i]) {
                return false;
            }
        }
        if (get16(p, HEADER + 4) != id || get16(p, HEADER + 6) != seq) {
            return false;
        }
        for (int i = 0; i < payload; i++) {
            if (p[HEADER + ICMP_HEADER + i] != (byte) (seq + i)) {
                return false;
            }
        }
        return checksum(p, 0, HEADER) == 0 && checksum(p, HEADER, len - HEADER) == 0;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static int get16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
