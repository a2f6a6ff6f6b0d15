package org.wgkaraf.netif.tcp;

/**
 * A received segment as {@link SegmentParser} read it: header fields, the options TCP uses, and
 * where its data lies in the caller's array. One instance is filled again for every segment, so
 * receiving allocates nothing; the data is valid only while the caller's array is.
 */
final class Segment {
    /** The IPv4 addresses, as ints (most significant byte first). */
    int source;
    int destination;
    int sourcePort;
    int destinationPort;
    int seq;
    int ack;
    int flags;
    /** The window field as sent, not yet scaled. */
    int window;

    byte[] data;
    int dataOffset;
    int dataLength;

    /** -1 when absent. */
    int mss;
    /** -1 when absent; else the peer's shift, at most 14. */
    int windowScale;
    boolean sackPermitted;
    boolean hasTimestamps;
    int tsVal;
    int tsEcr;
    int sackBlocks;
    final int[] sackStart = new int[TcpHeader.MAX_SACK_BLOCKS];
    final int[] sackEnd = new int[TcpHeader.MAX_SACK_BLOCKS];

    boolean syn() {
        return (flags & TcpHeader.SYN) != 0;
    }

    boolean fin() {
        return (flags & TcpHeader.FIN) != 0;
    }

    boolean rst() {
        return (flags & TcpHeader.RST) != 0;
    }

    boolean hasAck() {
        return (flags & TcpHeader.ACK) != 0;
    }

    /** SEG.LEN: the sequence space it occupies, SYN and FIN counting one each. */
    int length() {
        return dataLength + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    void clearOptions() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlocks = 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(sourcePort).append('>').append(destinationPort).append(' ')
                .append(TcpHeader.flags(flags)).append(" seq ").append(Seq.unsigned(seq));
        if (hasAck()) {
            s.append(" ack ").append(Seq.unsigned(ack));
        }
        s.append(" win ").append(window).append(" len ").append(dataLength);
        if (hasTimestamps) {
            s.append(" ts ").append(Seq.unsigned(tsVal)).append('/').append(Seq.unsigned(tsEcr));
        }
        for (int i = 0; i < sackBlocks; i++) {
            s.append(" sack ").append(Seq.unsigned(sackStart[i])).append('-').append(Seq.unsigned(sackEnd[i]));
        }
        return s.toString();
    }
}
