package org.wgkaraf.netif.ip;

/**
 * The reset (RFC 793, "Reset Generation", case 1: the connection does not exist) that answers any
 * TCP segment while the layer has no TCP: every port is closed.
 */
final class TcpReset {
    static final int HEADER = 20;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;
    static final int SEQUENCE = 4;
    static final int ACKNOWLEDGMENT = 8;
    static final int DATA_OFFSET = 12;
    static final int FLAGS = 13;
    static final int CHECKSUM = 16;

    private TcpReset() {
    }

    /**
     * The reset for the segment {@code in[off, off + len)}, a checked packet without IP options.
     * A segment with ACK gets {@code <SEQ=SEG.ACK><CTL=RST>}; one without gets
     * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}, where SYN and FIN each count one.
     */
    static int build(byte[] in, int off, int len, byte[] out, int identification) {
        int tcp = off + Ipv4Header.LENGTH;
        int flags = in[tcp + FLAGS] & 0xff;
        int source = Bytes.get32(in, off + Ipv4Header.DESTINATION);
        int destination = Bytes.get32(in, off + Ipv4Header.SOURCE);
        Ipv4Header.write(out, HEADER, identification, Ipv4Header.PROTOCOL_TCP, source, destination);
        int o = Ipv4Header.LENGTH;
        Bytes.put16(out, o, Bytes.get16(in, tcp + 2));
        Bytes.put16(out, o + 2, Bytes.get16(in, tcp));
        if ((flags & ACK) != 0) {
            Bytes.put32(out, o + SEQUENCE, Bytes.get32(in, tcp + ACKNOWLEDGMENT));
            Bytes.put32(out, o + ACKNOWLEDGMENT, 0);
            out[o + FLAGS] = RST;
        } else {
            int dataLength = len - Ipv4Header.LENGTH - ((in[tcp + DATA_OFFSET] & 0xff) >>> 4) * 4;
            int segmentLength = dataLength + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
            Bytes.put32(out, o + SEQUENCE, 0);
            Bytes.put32(out, o + ACKNOWLEDGMENT, Bytes.get32(in, tcp + SEQUENCE) + segmentLength);
            out[o + FLAGS] = RST | ACK;
        }
        out[o + DATA_OFFSET] = 5 << 4;
        Bytes.put16(out, o + 14, 0); // window
        Bytes.put16(out, o + CHECKSUM, 0);
        Bytes.put16(out, o + 18, 0); // urgent pointer
        Bytes.put16(out, o + CHECKSUM, Checksum.transport(source, destination, Ipv4Header.PROTOCOL_TCP, out, o, HEADER));
        return Ipv4Header.LENGTH + HEADER;
    }
}
