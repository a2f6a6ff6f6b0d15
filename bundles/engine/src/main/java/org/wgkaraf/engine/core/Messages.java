package org.wgkaraf.engine.core;

/**
 * The four message layouts (whitepaper 5.4), as offsets into a datagram. All integers are
 * little-endian. Messages are read and written in place: nothing here allocates.
 */
public final class Messages {
    private Messages() {
    }

    public static final byte TYPE_INITIATION = 1;
    public static final byte TYPE_RESPONSE = 2;
    public static final byte TYPE_COOKIE_REPLY = 3;
    public static final byte TYPE_TRANSPORT = 4;

    /** type(1) reserved(3) sender(4) ephemeral(32) static(32+16) timestamp(12+16) mac1(16) mac2(16) */
    public static final int INITIATION_SIZE = 148;
    public static final int INITIATION_SENDER = 4;
    public static final int INITIATION_EPHEMERAL = 8;
    public static final int INITIATION_NOISE_END = 116;

    /** type(1) reserved(3) sender(4) receiver(4) ephemeral(32) empty(0+16) mac1(16) mac2(16) */
    public static final int RESPONSE_SIZE = 92;
    public static final int RESPONSE_SENDER = 4;
    public static final int RESPONSE_RECEIVER = 8;
    public static final int RESPONSE_EPHEMERAL = 12;
    public static final int RESPONSE_NOISE_END = 60;

    /** type(1) reserved(3) receiver(4) nonce(24) cookie(16+16) */
    public static final int COOKIE_REPLY_SIZE = 64;
    public static final int COOKIE_REPLY_RECEIVER = 4;
    public static final int COOKIE_REPLY_NONCE = 8;
    public static final int COOKIE_REPLY_COOKIE = 32;

    /** type(1) reserved(3) receiver(4) counter(8) packet(16n + 16) */
    public static final int TRANSPORT_HEADER_SIZE = 16;
    public static final int TRANSPORT_RECEIVER = 4;
    public static final int TRANSPORT_COUNTER = 8;
    public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + Constants.TAG_SIZE;

    /** mac1 covers the message up to mac1, mac2 covers it up to mac2. */
    public static int mac1Offset(int size) {
        return size - 2 * Constants.MAC_SIZE;
    }

    public static int mac2Offset(int size) {
        return size - Constants.MAC_SIZE;
    }

    /**
     * The message type of a datagram, or 0 when it is none of the four with its exact size (or
     * the reserved bytes are not zero).
     */
    public static byte classify(byte[] b, int off, int len) {
        if (len < 4 || b[off + 1] != 0 || b[off + 2] != 0 || b[off + 3] != 0) {
            return 0;
        }
        byte type = b[off];
        return switch (type) {
            case TYPE_INITIATION -> len == INITIATION_SIZE ? type : -1;
            case TYPE_RESPONSE -> len == RESPONSE_SIZE ? type : -1;
            case TYPE_COOKIE_REPLY -> len == COOKIE_REPLY_SIZE ? type : -1;
            case TYPE_TRANSPORT -> len >= TRANSPORT_MIN_SIZE ? type : -1;
            default -> 0;
        };
    }

    public static void header(byte[] b, int off, byte type) {
        b[off] = type;
        b[off + 1] = 0;
        b[off + 2] = 0;
        b[off + 3] = 0;
    }

    public static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static long getLong(byte[] b, int off) {
        return (getInt(b, off) & 0xffffffffL) | (long) getInt(b, off + 4) << 32;
    }

    public static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) v);
        putInt(b, off + 4, (int) (v >>> 32));
    }
}
