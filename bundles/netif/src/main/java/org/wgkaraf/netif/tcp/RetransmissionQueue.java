package org.wgkaraf.netif.tcp;

import java.util.Arrays;

/**
 * Every segment sent and not yet acknowledged, oldest first: its sequence range (a FIN counts
 * one), when it was last sent, and its scoreboard marks (SACKed, lost, retransmitted). The
 * segments cover SND.UNA to SND.NXT without gaps; their bytes stay in the {@link SendBuffer}.
 * Also keeps the byte counts the "pipe" of RFC 6675 is made of, updated with every mark.
 * Arrays grow from 64 segments up to a limit, and are reused: sending allocates nothing once warm.
 */
final class RetransmissionQueue {
    static final int SACKED = 1;
    static final int LOST = 2;
    /** A retransmission of it is in flight (cleared when it is SACKed or declared lost again). */
    static final int RETRANSMITTED = 4;
    /** It was retransmitted at least once: no RTT sample from its ACK without timestamps (Karn). */
    static final int EVER_RETRANSMITTED = 8;
    static final int FIN = 16;
    /** Sent while the application had nothing more to send (delivery rate samples). */
    static final int APP_LIMITED = 32;

    private final int limit;
    private int[] seq = new int[64];
    private int[] len = new int[64];
    private long[] sentAt = new long[64];
    private byte[] flags = new byte[64];
    // What the delivery rate estimator knew when each segment was sent.
    private long[] deliveredAtSend = new long[64];
    private long[] deliveredTimeAtSend = new long[64];
    private long[] firstSentAtSend = new long[64];
    private int head;
    private int count;

    private int sackedBytes;
    private int sackedSegments;
    private int lostBytes;
    /** Bytes ever marked lost by SACK or RACK (a timeout's go-back not counted). */
    private long lostBytesEver;
    private int retransmittedBytes;

    RetransmissionQueue(int limit) {
        this.limit = limit;
    }

    private int at(int i) {
        return (head + i) & (seq.length - 1);
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean full() {
        return count >= limit;
    }

    int seq(int i) {
        return seq[at(i)];
    }

    int length(int i) {
        return len[at(i)];
    }

    /** One past the last sequence number of segment i. */
    int end(int i) {
        int k = at(i);
        return seq[k] + len[k];
    }

    long sentAt(int i) {
        return sentAt[at(i)];
    }

    int flags(int i) {
        return flags[at(i)];
    }

    boolean has(int i, int flag) {
        return (flags[at(i)] & flag) != 0;
    }

    /** Data bytes of segment i (its length less the FIN). */
    int dataLength(int i) {
        int k = at(i);
        return len[k] - ((flags[k] & FIN) != 0 ? 1 : 0);
    }

    /** Records a segment just sent for the first time; the caller checked {@link #full()}. */
    void add(int segmentSeq, int length, boolean fin, long now) {
        if (count == seq.length) {
            grow();
        }
        int k = at(count);
        seq[k] = segmentSeq;
        len[k] = length;
        sentAt[k] = now;
        flags[k] = (byte) (fin ? FIN : 0);
        count++;
    }

    private void grow() {
        int n = seq.length * 2;
        int[] s = new int[n];
        int[] l = new int[n];
        long[] t = new long[n];
        byte[] f = new byte[n];
        long[] d = new long[n];
        long[] dt = new long[n];
        long[] fs = new long[n];
        for (int i = 0; i < count; i++) {
            int k = at(i);
            s[i] = seq[k];
            l[i] = len[k];
            t[i] = sentAt[k];
            f[i] = flags[k];
            d[i] = deliveredAtSend[k];
            dt[i] = deliveredTimeAtSend[k];
            fs[i] = firstSentAtSend[k];
        }
        seq = s;
        len = l;
        sentAt = t;
        flags = f;
        deliveredAtSend = d;
        deliveredTimeAtSend = dt;
        firstSentAtSend = fs;
        head = 0;
    }

    /**
     * Cuts segment i in two, the first {@code firstLength} long (the peer's window is smaller than
     * the segment, RFC 9293 3.8.6.2.1: nothing may be sent beyond it). The marks go to both halves,
     * a FIN to the second.
     */
    void split(int i, int firstLength) {
        if (count == seq.length) {
            grow();
        }
        for (int j = count; j > i + 1; j--) {
            int to = at(j);
            int from = at(j - 1);
            seq[to] = seq[from];
            len[to] = len[from];
            sentAt[to] = sentAt[from];
            flags[to] = flags[from];
            deliveredAtSend[to] = deliveredAtSend[from];
            deliveredTimeAtSend[to] = deliveredTimeAtSend[from];
            firstSentAtSend[to] = firstSentAtSend[from];
        }
        int k = at(i);
        int n = at(i + 1);
        seq[n] = seq[k] + firstLength;
        len[n] = len[k] - firstLength;
        sentAt[n] = sentAt[k];
        flags[n] = flags[k];
        deliveredAtSend[n] = deliveredAtSend[k];
        deliveredTimeAtSend[n] = deliveredTimeAtSend[k];
        firstSentAtSend[n] = firstSentAtSend[k];
        len[k] = firstLength;
        flags[k] &= ~FIN;
        if ((flags[k] & SACKED) != 0) {
            sackedSegments++;
        }
        count++;
    }

    /** Records what the delivery rate estimator knows as segment i is sent. */
    void stamp(int i, long delivered, long deliveredTime, long firstSent, boolean appLimited) {
        int k = at(i);
        deliveredAtSend[k] = delivered;
        deliveredTimeAtSend[k] = deliveredTime;
        firstSentAtSend[k] = firstSent;
        flags[k] = (byte) (appLimited ? flags[k] | APP_LIMITED : flags[k] & ~APP_LIMITED);
    }

    long deliveredAtSend(int i) {
        return deliveredAtSend[at(i)];
    }

    long deliveredTimeAtSend(int i) {
        return deliveredTimeAtSend[at(i)];
    }

    long firstSentAtSend(int i) {
        return firstSentAtSend[at(i)];
    }

    /** Segment i was sent again. */
    void retransmitted(int i, long now) {
        int k = at(i);
        if ((flags[k] & RETRANSMITTED) == 0) {
            retransmittedBytes += len[k];
        }
        flags[k] |= RETRANSMITTED | EVER_RETRANSMITTED;
        sentAt[k] = now;
    }

    /** The peer holds segment i (a SACK block covers it). @return true if it was not marked yet */
    boolean markSacked(int i) {
        int k = at(i);
        int f = flags[k];
        if ((f & SACKED) != 0) {
            return false;
        }
        if ((f & LOST) != 0) {
            lostBytes -= len[k];
        }
        if ((f & RETRANSMITTED) != 0) {
            retransmittedBytes -= len[k];
        }
        flags[k] = (byte) ((f | SACKED) & ~(LOST | RETRANSMITTED));
        sackedBytes += len[k];
        sackedSegments++;
        return true;
    }

    /** Segment i is deemed lost: it must be sent again. @return true if it was not marked yet */
    boolean markLost(int i) {
        int k = at(i);
        int f = flags[k];
        if ((f & SACKED) != 0 || (f & (LOST | RETRANSMITTED)) == LOST) {
            return false; // the peer has it, or it already waits to be resent
        }
        if ((f & RETRANSMITTED) != 0) {
            retransmittedBytes -= len[k]; // the retransmission itself is lost
        }
        if ((f & LOST) == 0) {
            lostBytes += len[k];
        }
        flags[k] = (byte) ((f | LOST) & ~RETRANSMITTED);
        lostBytesEver += len[k];
        return true;
    }

    /**
     * After a retransmission timeout: everything not SACKed is to be sent again. SACKs are kept
     * (RFC 6675 5.1 allows it where reneging is detected), unless the peer reneged: a first
     * segment still SACKed when the timer fires means the receiver dropped data it had reported
     * (RFC 2018 8), and then every mark is forgotten.
     *
     * @return whether the peer reneged
     */
    boolean markAllLost() {
        boolean reneged = count > 0 && (flags[at(0)] & SACKED) != 0;
        sackedBytes = 0;
        sackedSegments = 0;
        retransmittedBytes = 0;
        lostBytes = 0;
        for (int i = 0; i < count; i++) {
            int k = at(i);
            int keep = flags[k] & (EVER_RETRANSMITTED | FIN | APP_LIMITED);
            if (!reneged && (flags[k] & SACKED) != 0) {
                flags[k] = (byte) (keep | SACKED);
                sackedBytes += len[k];
                sackedSegments++;
            } else {
                flags[k] = (byte) (keep | LOST);
                lostBytes += len[k];
            }
        }
        return reneged;
    }

    /** Segment i was sent again as a probe (RFC 8985 TLP): not lost, but sent more than once (Karn). */
    void probed(int i, long now) {
        int k = at(i);
        flags[k] |= EVER_RETRANSMITTED;
        sentAt[k] = now;
    }

    /** Sequence space from the first segment's start to the last one's end. */
    int outstanding() {
        return count == 0 ? 0 : end(count - 1) - seq(0);
    }

    /**
     * Drops the segments wholly below {@code ack} and trims one that it cuts.
     *
     * @return how many whole segments were removed
     */
    int acknowledge(int ack) {
        return acknowledge(ack, null, null, 0);
    }

    /**
     * Drops the segments wholly below {@code ack} and trims one that it cuts; the bytes newly
     * delivered (not SACKed before) are reported to {@code rate}, dated as {@code rack} says.
     *
     * @return how many whole segments were removed
     */
    int acknowledge(int ack, DeliveryRate rate, Rack rack, long now) {
        int removed = 0;
        while (count > 0) {
            int k = head;
            if (Seq.le(seq[k] + len[k], ack)) {
                if (rate != null && (flags[k] & SACKED) == 0) {
                    rate.delivered(this, 0, len[k], now, rack.answersEarlierTransmission(this, 0, now));
                }
                unmark(k, len[k]);
                head = (head + 1) & (seq.length - 1);
                count--;
                removed++;
            } else {
                if (Seq.gt(ack, seq[k])) {
                    int cut = ack - seq[k];
                    if (rate != null && (flags[k] & SACKED) == 0) {
                        rate.delivered(this, 0, cut, now, rack.answersEarlierTransmission(this, 0, now));
                    }
                    unmark(k, cut);
                    seq[k] = ack;
                    len[k] -= cut;
                }
                break;
            }
        }
        if (count == 0) {
            head = 0;
        }
        return removed;
    }

    private void unmark(int k, int bytes) {
        int f = flags[k];
        if ((f & SACKED) != 0) {
            sackedBytes -= bytes;
            if (bytes == len[k]) {
                sackedSegments--;
            }
        }
        if ((f & LOST) != 0) {
            lostBytes -= bytes;
        }
        if ((f & RETRANSMITTED) != 0) {
            retransmittedBytes -= bytes;
        }
    }

    /** The index of the segment holding {@code s} (which must lie in the queue), by binary search. */
    int indexOf(int s) {
        int lo = 0;
        int hi = count - 1;
        int base = seq(0);
        int target = s - base;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (seq(mid) - base <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    int sackedBytes() {
        return sackedBytes;
    }

    int sackedSegments() {
        return sackedSegments;
    }

    long lostBytesEver() {
        return lostBytesEver;
    }

    int lostBytes() {
        return lostBytes;
    }

    int retransmittedBytes() {
        return retransmittedBytes;
    }

    /**
     * RFC 6675's pipe, in bytes: what is believed to be in the network. Everything outstanding,
     * less what the peer holds (SACKed) and what is lost, plus retransmissions in flight.
     */
    int pipe() {
        return outstanding() - sackedBytes - lostBytes + retransmittedBytes;
    }

    void clear() {
        count = 0;
        head = 0;
        sackedBytes = 0;
        sackedSegments = 0;
        lostBytes = 0;
        retransmittedBytes = 0;
        Arrays.fill(flags, (byte) 0);
    }
}
