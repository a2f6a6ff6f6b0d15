package org.wgkaraf.netif.ip;

/** The IPv4 header (RFC 791) as this layer reads and writes it: 20 bytes, never options. */
public final class Ipv4Header {
    public static final int LENGTH = 20;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;
    /** What every packet of ours starts with (RFC 1700's default for hosts). */
    public static final int TTL = 64;
    public static final int LIMITED_BROADCAST = 0xffffffff;

    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    public static final int FLAGS_FRAGMENT = 6;
    public static final int TIME_TO_LIVE = 8;
    public static final int PROTOCOL = 9;
    public static final int CHECKSUM = 10;
    public static final int SOURCE = 12;
    public static final int DESTINATION = 16;

    public static final int MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET = 0x1fff;
    private static final int DONT_FRAGMENT = 0x4000;

    private Ipv4Header() {
    }

    /**
     * Writes a header at the start of {@code b} for a payload that follows it. Don't-fragment is
     * set: nobody on the way should split what we send, since we would not reassemble the answer
     * either.
     */
    public static void write(byte[] b, int payloadLength, int identification, int protocol, int source, int destination) {
        b[0] = 0x45; // version 4, 5 words
        b[1] = 0;
        Bytes.put16(b, TOTAL_LENGTH, LENGTH + payloadLength);
        Bytes.put16(b, IDENTIFICATION, identification);
        Bytes.put16(b, FLAGS_FRAGMENT, DONT_FRAGMENT);
        b[TIME_TO_LIVE] = TTL;
        b[PROTOCOL] = (byte) protocol;
        Bytes.put16(b, CHECKSUM, 0);
        Bytes.put32(b, SOURCE, source);
        Bytes.put32(b, DESTINATION, destination);
        Bytes.put16(b, CHECKSUM, Checksum.of(b, 0, LENGTH));
    }
}
