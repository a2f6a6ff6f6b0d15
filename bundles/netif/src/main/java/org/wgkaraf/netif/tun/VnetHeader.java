package org.wgkaraf.netif.tun;

/**
 * The 10-byte {@code struct virtio_net_hdr} that a TUN device opened with {@code IFF_VNET_HDR}
 * puts before every packet it reads and expects before every packet written: which offload the
 * packet carries (a TCP super-segment and its segment size) and where a checksum left for the
 * device to finish starts. Its 16-bit fields are little-endian: the legacy header is in the host's
 * order, and the TUN backend runs on little-endian machines only ({@link LibC#check()}).
 *
 * <p>Layout: flags (1 byte), gso_type (1), hdr_len (2), gso_size (2), csum_start (2),
 * csum_offset (2).
 */
final class VnetHeader {
    static final int SIZE = 10;
    /** flags: the checksum at csum_start + csum_offset holds only the pseudo-header's sum; the device finishes it. */
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    /** gso_type bit: the super-segment carries ECN (CWR on its first segment only). */
    static final int GSO_ECN = 0x80;

    /** An empty header: one plain packet, its checksums complete. Never written to. */
    static final byte[] EMPTY = new byte[SIZE];

    private VnetHeader() {
    }

    static int flags(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int gsoType(byte[] b, int off) {
        return b[off + 1] & 0xff;
    }

    static int headersLength(byte[] b, int off) {
        return le16(b, off + 2);
    }

    static int gsoSize(byte[] b, int off) {
        return le16(b, off + 4);
    }

    static int csumStart(byte[] b, int off) {
        return le16(b, off + 6);
    }

    static int csumOffset(byte[] b, int off) {
        return le16(b, off + 8);
    }

    /** Writes a TCPv4 super-segment's header: partial checksum at {@code csumStart + 16}. */
    static void tcp4(byte[] b, int off, int headersLength, int gsoSize, int csumStart) {
        b[off] = F_NEEDS_CSUM;
        b[off + 1] = GSO_TCPV4;
        le16(b, off + 2, headersLength);
        le16(b, off + 4, gsoSize);
        le16(b, off + 6, csumStart);
        le16(b, off + 8, 16);
    }

    /** Writes a header, any field; for tests that play the kernel. */
    static void write(byte[] b, int off, int flags, int gsoType, int headersLength, int gsoSize, int csumStart, int csumOffset) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        le16(b, off + 2, headersLength);
        le16(b, off + 4, gsoSize);
        le16(b, off + 6, csumStart);
        le16(b, off + 8, csumOffset);
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
