package org.wgkaraf.netif.ip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit
 * words. Over a range whose checksum field is zero it yields the value to store; over a range that
 * holds a correct checksum it yields 0.
 * <p>
 * The sum reads 32-bit words: one's complement addition is addition modulo 0xffff, and since
 * 2^16 is 1 modulo 0xffff, a 32-bit word adds the same as its two halves (RFC 1071 2(B)). TCP
 * checksums every segment twice (in and out), so this is on the hot path.
 */
public final class Checksum {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    public static int of(byte[] b, int off, int len) {
        return fold(sum(b, off, len, 0));
    }

    /**
     * The checksum of a UDP or TCP segment: the segment plus the pseudo header of RFC 768 / RFC 793
     * (source, destination, protocol, segment length).
     */
    public static int transport(int source, int destination, int protocol, byte[] b, int off, int len) {
        return fold(sum(b, off, len, pseudoHeader(source, destination, protocol, len)));
    }

    /** The pseudo header's share of a transport checksum, as a partial sum for {@link #sum}. */
    public static long pseudoHeader(int source, int destination, int protocol, int len) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + len;
    }

    /**
     * Adds the 16-bit words of {@code b[off, off + len)} to a partial sum. The range must start at
     * an even position of the checksummed data (an odd last byte is padded with a zero byte).
     */
    public static long sum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        int i = off;
        int end = off + (len & ~3);
        for (; i < end; i += 4) {
            sum += (int) INT.get(b, i) & 0xffffffffL;
        }
        if ((len & 2) != 0) {
            sum += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** The checksum to store for a partial sum: folded to 16 bits and complemented. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
