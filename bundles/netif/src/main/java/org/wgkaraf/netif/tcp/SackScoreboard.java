package org.wgkaraf.netif.tcp;

/**
 * The sender's side of SACK (RFC 2018, RFC 6675): reads the blocks of each ACK into the marks of
 * the {@link RetransmissionQueue}, decides which segments are lost (RFC 6675 IsLost), and picks
 * the next one to resend (NextSeg rule 1). D-SACK blocks (RFC 2883) are recognised and counted
 * apart, never taken for new information.
 */
final class SackScoreboard {
    /** RFC 6675 DupThresh. */
    static final int DUP_THRESH = 3;

    private final RetransmissionQueue queue;
    private boolean dsack;

    SackScoreboard(RetransmissionQueue queue) {
        this.queue = queue;
    }

    /**
     * Marks what the blocks of {@code seg} cover.
     *
     * @param sndUna SND.UNA after the ACK was applied
     * @param sndNxt SND.NXT: blocks beyond it report data never sent and are ignored
     * @return bytes newly SACKed
     */
    int apply(Segment seg, int sndUna, int sndNxt) {
        return apply(seg, sndUna, sndNxt, null, null, 0);
    }

    /** As {@link #apply(Segment, int, int)}, reporting what is newly SACKed to {@code rate} and {@code rack} (both, or neither). */
    int apply(Segment seg, int sndUna, int sndNxt, DeliveryRate rate, Rack rack, long now) {
        dsack = false;
        int newly = 0;
        for (int b = 0; b < seg.sackBlocks; b++) {
            int s = seg.sackStart[b];
            int e = seg.sackEnd[b];
            if (!Seq.lt(s, e)) {
                continue; // empty or reversed: malformed
            }
            if (b == 0 && (Seq.lt(s, sndUna) || seg.sackBlocks > 1
                    && Seq.ge(s, seg.sackStart[1]) && Seq.le(e, seg.sackEnd[1]) && Seq.lt(seg.sackStart[1], seg.sackEnd[1]))) {
                dsack = true; // RFC 2883 4: below the cumulative ACK, or inside the second block
                continue;
            }
            if (Seq.le(e, sndUna) || Seq.gt(e, sndNxt) || queue.isEmpty()) {
                continue;
            }
            s = Seq.max(s, sndUna);
            int i = queue.indexOf(s);
            if (queue.seq(i) != s) {
                i++; // the block starts inside a segment: that one is not wholly held
            }
            for (; i < queue.count() && Seq.le(queue.end(i), e); i++) {
                if (queue.markSacked(i)) {
                    newly += queue.length(i);
                    if (rate != null) {
                        rate.delivered(queue, i, queue.length(i), now, rack.answersEarlierTransmission(queue, i, now));
                        rack.delivered(queue, i, false, now);
                    }
                }
            }
        }
        return newly;
    }

    /** The last ACK carried a D-SACK block: the peer received something twice. */
    boolean dsack() {
        return dsack;
    }

    /**
     * RFC 6675 IsLost over every segment not yet SACKed: it is lost when DupThresh SACKed segments,
     * or more than (DupThresh - 1) * SMSS SACKed bytes, lie above it. Segments already marked (or
     * retransmitted) are left alone: whether a retransmission was lost again is RACK's to decide
     * ({@link Rack}), or the timer's.
     *
     * @return bytes newly marked lost
     */
    int markLosses(int mss) {
        int segmentsAbove = 0;
        int bytesAbove = 0;
        int marked = 0;
        for (int i = queue.count() - 1; i >= 0; i--) {
            if (queue.has(i, RetransmissionQueue.SACKED)) {
                segmentsAbove++;
                bytesAbove += queue.length(i);
                continue;
            }
            if (segmentsAbove >= DUP_THRESH || bytesAbove > (DUP_THRESH - 1) * mss) {
                if (queue.has(i, RetransmissionQueue.LOST)) {
                    break; // this one and all below were marked by an earlier ACK
                }
                queue.markLost(i);
                marked += queue.length(i);
            }
        }
        return marked;
    }

    /** Whether the first unacknowledged segment counts as lost (RFC 6675 4: IsLost(HighACK + 1)). */
    boolean firstIsLost(int mss) {
        if (queue.isEmpty() || queue.has(0, RetransmissionQueue.SACKED)) {
            return false;
        }
        int segmentsAbove = 0;
        int bytesAbove = 0;
        for (int i = queue.count() - 1; i > 0; i--) {
            if (queue.has(i, RetransmissionQueue.SACKED)) {
                segmentsAbove++;
                bytesAbove += queue.length(i);
                if (segmentsAbove >= DUP_THRESH || bytesAbove > (DUP_THRESH - 1) * mss) {
                    return true;
                }
            }
        }
        return false;
    }

    /** NextSeg rule 1: the first segment marked lost and not yet resent, or -1. */
    int nextLost() {
        if (queue.lostBytes() == 0) {
            return -1;
        }
        for (int i = 0; i < queue.count(); i++) {
            if ((queue.flags(i) & (RetransmissionQueue.LOST | RetransmissionQueue.RETRANSMITTED)) == RetransmissionQueue.LOST) {
                return i;
            }
        }
        return -1;
    }
}
