package org.wgkaraf.netif.ip;

/**
 * The ICMP messages (RFC 792) the layer sends: echo requests and replies, and destination
 * unreachable. Each is written into an output buffer behind a fresh IPv4 header; the methods
 * return the packet's length.
 */
final class Icmp {
    static final int HEADER = 8;
    static final int ECHO_REPLY = 0;
    static final int DESTINATION_UNREACHABLE = 3;
    static final int SOURCE_QUENCH = 4;
    static final int REDIRECT = 5;
    static final int ECHO_REQUEST = 8;
    static final int TIME_EXCEEDED = 11;
    static final int PARAMETER_PROBLEM = 12;
    static final int CODE_PROTOCOL_UNREACHABLE = 2;
    static final int CODE_PORT_UNREACHABLE = 3;
    /** What an error quotes of the offending datagram beyond its IP header (RFC 792). */
    private static final int QUOTED_PAYLOAD = 8;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE = 6;

    private Icmp() {
    }

    /**
     * The reply to the echo request {@code in[off, off + len)}, a checked packet without options:
     * addresses swapped, identifier, sequence and data echoed.
     */
    static int echoReply(byte[] in, int off, int len, byte[] out, int identification) {
        int icmpLength = len - Ipv4Header.LENGTH;
        Ipv4Header.write(out, icmpLength, identification, Ipv4Header.PROTOCOL_ICMP,
                Bytes.get32(in, off + Ipv4Header.DESTINATION), Bytes.get32(in, off + Ipv4Header.SOURCE));
        System.arraycopy(in, off + Ipv4Header.LENGTH, out, Ipv4Header.LENGTH, icmpLength);
        out[Ipv4Header.LENGTH] = ECHO_REPLY;
        out[Ipv4Header.LENGTH + 1] = 0;
        finish(out, icmpLength);
        return Ipv4Header.LENGTH + icmpLength;
    }

    /** An echo request whose data counts up from 0, byte by byte. */
    static int echoRequest(byte[] out, int identification, int source, int destination, int identifier,
                           int sequence, int dataSize) {
        int icmpLength = HEADER + dataSize;
        Ipv4Header.write(out, icmpLength, identification, Ipv4Header.PROTOCOL_ICMP, source, destination);
        int icmp = Ipv4Header.LENGTH;
        out[icmp] = ECHO_REQUEST;
        out[icmp + 1] = 0;
        Bytes.put16(out, icmp + IDENTIFIER, identifier);
        Bytes.put16(out, icmp + SEQUENCE, sequence);
        for (int i = 0; i < dataSize; i++) {
            out[icmp + HEADER + i] = (byte) i;
        }
        finish(out, icmpLength);
        return Ipv4Header.LENGTH + icmpLength;
    }

    /**
     * Destination unreachable for the datagram {@code in[off, off + len)}, from {@code source} (our
     * address) to the datagram's source, quoting its IP header and the first 8 bytes after it.
     */
    static int unreachable(byte[] in, int off, int len, int code, byte[] out, int identification, int source) {
        int headerLength = (in[off] & 0x0f) * 4;
        int quoted = Math.min(len, headerLength + QUOTED_PAYLOAD);
        int icmpLength = HEADER + quoted;
        Ipv4Header.write(out, icmpLength, identification, Ipv4Header.PROTOCOL_ICMP, source,
                Bytes.get32(in, off + Ipv4Header.SOURCE));
        int icmp = Ipv4Header.LENGTH;
        out[icmp] = DESTINATION_UNREACHABLE;
        out[icmp + 1] = (byte) code;
        Bytes.put32(out, icmp + 4, 0); // unused (no next-hop MTU for these codes)
        System.arraycopy(in, off, out, icmp + HEADER, quoted);
        finish(out, icmpLength);
        return Ipv4Header.LENGTH + icmpLength;
    }

    static int identifier(byte[] b, int icmp) {
        return Bytes.get16(b, icmp + IDENTIFIER);
    }

    static int sequence(byte[] b, int icmp) {
        return Bytes.get16(b, icmp + SEQUENCE);
    }

    static boolean isError(int type) {
        return type == DESTINATION_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    private static void finish(byte[] out, int icmpLength) {
        Bytes.put16(out, Ipv4Header.LENGTH + 2, 0);
        Bytes.put16(out, Ipv4Header.LENGTH + 2, Checksum.of(out, Ipv4Header.LENGTH, icmpLength));
    }
}
