package org.wgkaraf.netif.ip;

/** The UDP header (RFC 768) as the layer reads and writes it. */
final class Udp {
    static final int HEADER = 8;
    static final int LENGTH = 4;
    static final int CHECKSUM = 6;
    /** The most data one datagram carries in an IPv4 packet without options. */
    static final int MAX_DATA = 65535 - Ipv4Header.LENGTH - HEADER;

    private Udp() {
    }

    /** Writes a whole IPv4 packet carrying the datagram and returns its length. */
    static int write(byte[] out, int identification, int source, int destination, int sourcePort,
                     int destinationPort, byte[] data, int offset, int length) {
        int udpLength = HEADER + length;
        Ipv4Header.write(out, udpLength, identification, Ipv4Header.PROTOCOL_UDP, source, destination);
        int u = Ipv4Header.LENGTH;
        Bytes.put16(out, u, sourcePort);
        Bytes.put16(out, u + 2, destinationPort);
        Bytes.put16(out, u + LENGTH, udpLength);
        Bytes.put16(out, u + CHECKSUM, 0);
        System.arraycopy(data, offset, out, u + HEADER, length);
        int sum = Checksum.transport(source, destination, Ipv4Header.PROTOCOL_UDP, out, u, udpLength);
        // 0 means "no checksum" in UDP over IPv4, so a computed 0 is sent as its other form, 0xffff.
        Bytes.put16(out, u + CHECKSUM, sum == 0 ? 0xffff : sum);
        return Ipv4Header.LENGTH + udpLength;
    }
}
