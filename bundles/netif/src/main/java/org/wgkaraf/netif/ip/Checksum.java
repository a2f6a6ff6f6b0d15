package org.wgkaraf.netif.ip;

/**
 * The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit
 * words. Over a range whose checksum field is zero it yields the value to store; over a range that
 * holds a correct checksum it yields 0.
 */
final class Checksum {
    private Checksum() {
    }

    static int of(byte[] b, int off, int len) {
        return fold(sum(b, off, len, 0));
    }

    /**
     * The checksum of a UDP or TCP segment: the segment plus the pseudo header of RFC 768 / RFC 793
     * (source, destination, protocol, segment length).
     */
    static int transport(int source, int destination, int protocol, byte[] b, int off, int len) {
        long pseudo = (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff)
                + protocol + len;
        return fold(sum(b, off, len, pseudo));
    }

    private static long sum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            sum += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8; // an odd last byte is padded with a zero byte
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
