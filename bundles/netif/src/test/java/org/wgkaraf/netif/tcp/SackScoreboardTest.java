package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sender's scoreboard (RFC 6675): SACK marks, IsLost, pipe and NextSeg over the retransmission queue. */
class SackScoreboardTest {
    private static final int MSS = 1000;
    private static final int BASE = 0x7ffffff0; // sequence numbers cross 2^31 on the way
    private final RetransmissionQueue q = new RetransmissionQueue(1000);
    private final SackScoreboard sb = new SackScoreboard(q);
    private final Segment ack = new Segment();

    SackScoreboardTest() {
        for (int i = 0; i < 10; i++) {
            q.add(BASE + i * MSS, MSS, false, 0);
        }
    }

    private int sack(int... blocks) {
        ack.sackBlocks = blocks.length / 2;
        for (int i = 0; i < ack.sackBlocks; i++) {
            ack.sackStart[i] = BASE + blocks[2 * i] * MSS;
            ack.sackEnd[i] = BASE + blocks[2 * i + 1] * MSS;
        }
        return sb.apply(ack, BASE, BASE + 10 * MSS);
    }

    @Test
    void rfc2018_aBlockMarksTheSegmentsItCoversWholly() {
        assertEquals(2 * MSS, sack(3, 5));
        assertTrue(q.has(3, RetransmissionQueue.SACKED));
        assertTrue(q.has(4, RetransmissionQueue.SACKED));
        assertFalse(q.has(5, RetransmissionQueue.SACKED));
        assertEquals(0, sack(3, 5), "nothing new the second time");
    }

    @Test
    void aBlockCoveringPartOfASegmentDoesNotMarkIt() {
        ack.sackBlocks = 1;
        ack.sackStart[0] = BASE + 3 * MSS + 10;
        ack.sackEnd[0] = BASE + 5 * MSS;
        assertEquals(MSS, sb.apply(ack, BASE, BASE + 10 * MSS));
        assertFalse(q.has(3, RetransmissionQueue.SACKED));
    }

    @Test
    void rfc6675_blocksBeyondWhatWasSentAreIgnored() {
        ack.sackBlocks = 1;
        ack.sackStart[0] = BASE + 8 * MSS;
        ack.sackEnd[0] = BASE + 11 * MSS;
        assertEquals(0, sb.apply(ack, BASE, BASE + 10 * MSS));
    }

    @Test
    void rfc2883_aFirstBlockBelowTheCumulativeAckIsADsack() {
        ack.sackBlocks = 1;
        ack.sackStart[0] = BASE - 2 * MSS;
        ack.sackEnd[0] = BASE - MSS;
        assertEquals(0, sb.apply(ack, BASE, BASE + 10 * MSS));
        assertTrue(sb.dsack());
    }

    @Test
    void rfc2883_aFirstBlockInsideTheSecondIsADsack() {
        assertEquals(3 * MSS, sack(4, 5, 3, 6), "the second block is news, the first reports a duplicate");
        assertTrue(sb.dsack());
    }

    @Test
    void rfc6675_isLostOnceDupThreshSegmentsAboveAreSacked() {
        sack(2, 4);
        assertEquals(0, sb.markLosses(MSS), "two SACKed above segment 0 and 1: not yet lost");
        assertFalse(sb.firstIsLost(MSS));
        sack(5, 6);
        assertTrue(sb.firstIsLost(MSS), "three SACKed segments above the first");
        assertEquals(2 * MSS, sb.markLosses(MSS), "segments 0 and 1");
        assertTrue(q.has(0, RetransmissionQueue.LOST));
        assertTrue(q.has(1, RetransmissionQueue.LOST));
        assertFalse(q.has(4, RetransmissionQueue.LOST), "4 has only one SACKed segment above it");
    }

    @Test
    void rfc6675_pipeCountsWhatIsInTheNetwork() {
        assertEquals(10 * MSS, q.pipe());
        sack(2, 5);
        sb.markLosses(MSS);
        assertEquals(10 * MSS - 3 * MSS - 2 * MSS, q.pipe(), "less SACKed, less lost");
        q.retransmitted(sb.nextLost(), 1);
        assertEquals(10 * MSS - 3 * MSS - MSS, q.pipe(), "a retransmission is in flight again");
    }

    @Test
    void rfc6675_nextSegRule1_resendsTheFirstLostSegmentNotYetResent() {
        sack(2, 5);
        sb.markLosses(MSS);
        assertEquals(0, sb.nextLost());
        q.retransmitted(0, 1);
        assertEquals(1, sb.nextLost());
        q.retransmitted(1, 1);
        assertEquals(-1, sb.nextLost());
    }

    @Test
    void rfc6675_5_1_afterATimeoutEverythingNotSackedIsResent() {
        sack(2, 5);
        assertFalse(q.markAllLost(), "the first segment is not SACKed: no reneging");
        assertEquals(3 * MSS, q.sackedBytes());
        assertEquals(7 * MSS, q.lostBytes());
        assertEquals(0, q.pipe());
        assertEquals(0, sb.nextLost());
    }

    @Test
    void rfc2018_8_aSackedFirstSegmentAtTimeoutMeansTheReceiverRenegedSoSacksAreForgotten() {
        sack(0, 3);
        assertTrue(q.markAllLost());
        assertEquals(0, q.sackedBytes());
        assertEquals(10 * MSS, q.lostBytes());
    }

    @Test
    void acknowledgingTrimsTheQueueAndItsCounts() {
        sack(2, 5);
        sb.markLosses(MSS);
        q.acknowledge(BASE + 3 * MSS);
        assertEquals(7, q.count());
        assertEquals(2 * MSS, q.sackedBytes());
        assertEquals(0, q.lostBytes());
        q.acknowledge(BASE + 3 * MSS + 500);
        assertEquals(2 * MSS - 500, q.sackedBytes(), "a partly acknowledged segment keeps its mark for the rest");
    }

    @Test
    void rfc9293_3_8_6_2_1_aSegmentLargerThanTheWindowIsSplit() {
        q.split(0, 300);
        assertEquals(11, q.count());
        assertEquals(300, q.length(0));
        assertEquals(BASE + 300, q.seq(1));
        assertEquals(700, q.length(1));
        assertEquals(BASE + MSS, q.seq(2));
    }
}
