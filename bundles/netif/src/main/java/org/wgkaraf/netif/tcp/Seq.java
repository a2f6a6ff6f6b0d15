package org.wgkaraf.netif.tcp;

/**
 * Sequence number arithmetic modulo 2^32 (RFC 9293 3.4, RFC 1982): numbers are {@code int}s, and
 * {@code a} comes before {@code b} when the signed 32-bit difference {@code a - b} is negative.
 * That holds for any two numbers less than 2^31 apart, which TCP guarantees: no window or
 * buffer here is anywhere near 2^31.
 */
final class Seq {
    private Seq() {
    }

    /** a < b */
    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** a <= b */
    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** a > b */
    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** a >= b */
    static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** low <= x < high, the window test of RFC 9293 3.4 (empty when low == high). */
    static boolean inWindow(int x, int low, int high) {
        return x - low >= 0 && x - high < 0;
    }

    /** The later of two numbers. */
    static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }

    /** The earlier of two numbers. */
    static int min(int a, int b) {
        return a - b <= 0 ? a : b;
    }

    /** Unsigned 32-bit value, for messages. */
    static long unsigned(int a) {
        return a & 0xffffffffL;
    }
}
