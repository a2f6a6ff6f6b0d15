package org.wgkaraf.netif.tcp;

import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.Checksum;
import org.wgkaraf.netif.ip.Ipv4Header;

/**
 * Writes the packets TCP sends: an IPv4 header (no options, don't-fragment) at the start of the
 * buffer, the TCP header after it, options, data, and both checksums. The caller writes the fixed
 * header, then each option (each returns where the next goes), puts the data at the end of the
 * options, and calls {@link #finish}. Nothing is allocated.
 */
final class SegmentWriter {
    /** Where the TCP header starts in a packet buffer. */
    static final int TCP = Ipv4Header.LENGTH;
    /** Where the options start. */
    static final int OPTIONS = TCP + TcpHeader.LENGTH;

    private SegmentWriter() {
    }

    /** The fixed 20 bytes of the TCP header; the data offset and checksum come in {@link #finish}. */
    static void header(byte[] out, int sourcePort, int destinationPort, int seq, int ack, int flags, int window) {
        Bytes.put16(out, TCP + TcpHeader.SOURCE_PORT, sourcePort);
        Bytes.put16(out, TCP + TcpHeader.DESTINATION_PORT, destinationPort);
        Bytes.put32(out, TCP + TcpHeader.SEQUENCE, seq);
        Bytes.put32(out, TCP + TcpHeader.ACKNOWLEDGMENT, (flags & TcpHeader.ACK) != 0 ? ack : 0);
        out[TCP + TcpHeader.FLAGS] = (byte) flags;
        Bytes.put16(out, TCP + TcpHeader.WINDOW, window);
        Bytes.put16(out, TCP + TcpHeader.CHECKSUM, 0);
        Bytes.put16(out, TCP + TcpHeader.URGENT, 0);
    }

    static int mss(byte[] out, int at, int mss) {
        out[at] = TcpHeader.OPT_MSS;
        out[at + 1] = TcpHeader.OPT_MSS_LENGTH;
        Bytes.put16(out, at + 2, mss);
        return at + 4;
    }

    /** NOP, then the window scale option: 4 bytes. */
    static int windowScale(byte[] out, int at, int shift) {
        out[at] = TcpHeader.OPT_NOP;
        out[at + 1] = TcpHeader.OPT_WINDOW_SCALE;
        out[at + 2] = TcpHeader.OPT_WINDOW_SCALE_LENGTH;
        out[at + 3] = (byte) shift;
        return at + 4;
    }

    /** Two NOPs, then SACK-permitted: 4 bytes. */
    static int sackPermitted(byte[] out, int at) {
        out[at] = TcpHeader.OPT_NOP;
        out[at + 1] = TcpHeader.OPT_NOP;
        out[at + 2] = TcpHeader.OPT_SACK_PERMITTED;
        out[at + 3] = TcpHeader.OPT_SACK_PERMITTED_LENGTH;
        return at + 4;
    }

    /** Two NOPs, then timestamps: 12 bytes. */
    static int timestamps(byte[] out, int at, int tsVal, int tsEcr) {
        out[at] = TcpHeader.OPT_NOP;
        out[at + 1] = TcpHeader.OPT_NOP;
        out[at + 2] = TcpHeader.OPT_TIMESTAMPS;
        out[at + 3] = TcpHeader.OPT_TIMESTAMPS_LENGTH;
        Bytes.put32(out, at + 4, tsVal);
        Bytes.put32(out, at + 8, tsEcr);
        return at + 12;
    }

    /** Two NOPs, then a SACK option of {@code n} (1-4) blocks: 4 + 8n bytes. */
    static int sack(byte[] out, int at, int[] start, int[] end, int n) {
        out[at] = TcpHeader.OPT_NOP;
        out[at + 1] = TcpHeader.OPT_NOP;
        out[at + 2] = TcpHeader.OPT_SACK;
        out[at + 3] = (byte) (2 + 8 * n);
        for (int i = 0; i < n; i++) {
            Bytes.put32(out, at + 4 + 8 * i, start[i]);
            Bytes.put32(out, at + 8 + 8 * i, end[i]);
        }
        return at + 4 + 8 * n;
    }

    /**
     * Completes a packet whose options end at {@code dataAt} (a multiple of 4 from {@link #TCP})
     * and whose {@code dataLength} bytes of data are in place after them.
     *
     * @return the packet's length
     */
    static int finish(byte[] out, int dataAt, int dataLength, int source, int destination, int identification) {
        int headerLength = dataAt - TCP;
        out[TCP + TcpHeader.DATA_OFFSET] = (byte) ((headerLength / 4) << 4);
        int tcpLength = headerLength + dataLength;
        Ipv4Header.write(out, tcpLength, identification, Ipv4Header.PROTOCOL_TCP, source, destination);
        Bytes.put16(out, TCP + TcpHeader.CHECKSUM,
                Checksum.transport(source, destination, Ipv4Header.PROTOCOL_TCP, out, TCP, tcpLength));
        return Ipv4Header.LENGTH + tcpLength;
    }

    /**
     * The reset that answers {@code seg} when no connection exists (RFC 9293 3.10.7.1): a segment
     * with ACK gets {@code <SEQ=SEG.ACK><CTL=RST>}, one without gets
     * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. Never call it for a reset.
     */
    static int resetFor(Segment seg, byte[] out, int identification) {
        if (seg.hasAck()) {
            header(out, seg.destinationPort, seg.sourcePort, seg.ack, 0, TcpHeader.RST, 0);
        } else {
            header(out, seg.destinationPort, seg.sourcePort, 0, seg.seq + seg.length(), TcpHeader.RST | TcpHeader.ACK, 0);
        }
        return finish(out, OPTIONS, 0, seg.destination, seg.source, identification);
    }
}
