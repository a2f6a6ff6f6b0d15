package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.ip.DropReason;

/**
 * What a peer (or someone guessing numbers) cannot do to an established connection: RFC 5961's
 * challenge ACKs and ACK checks, RFC 9293's acceptability test, RFC 7323's PAWS. Each attempt is
 * counted by its reason and the connection carries on.
 */
class TcbSecurityTest {
    private final Scripted s = Scripted.open();

    private void stillWorks() {
        s.p.drain();
        assertNull(s.data(100));
        assertEquals(TcpState.ESTABLISHED, s.t.state);
        assertEquals(100, s.t.read(new byte[200], 0, 200, s.p.now));
    }

    @Test
    void rfc9293_3_10_7_4_neverAnswerAReset() {
        assertEquals(DropReason.TCP_RST_OUT_OF_WINDOW, s.seg().seq(s.peerSeq + 5_000_000).flags(TcpHeader.RST).send());
        s.p.none();
        stillWorks();
    }

    @Test
    void rfc5961_3_2_aResetAtExactlyRcvNxtResetsTheConnection() {
        assertNull(s.seg().flags(TcpHeader.RST).send());
        assertEquals(TcpState.CLOSED, s.t.state);
        assertEquals(ConnectionError.RESET, s.t.error);
        s.p.none();
    }

    @Test
    void rfc5961_3_2_aResetInTheWindowButNotExactGetsAChallengeAck() {
        assertEquals(DropReason.TCP_RST_CHALLENGED, s.seg().seq(s.peerSeq + 1000).flags(TcpHeader.RST).send());
        Segment challenge = s.p.one();
        assertEquals(TcpHeader.ACK, challenge.flags);
        assertEquals(s.peerSeq, challenge.ack, "our exact RCV.NXT, so a genuine peer can reset with it");
        assertEquals(s.t.sndNxt, challenge.seq);
        stillWorks();
    }

    @Test
    void rfc5961_4_2_aSynOnAnOpenConnectionGetsAChallengeAck() {
        assertEquals(DropReason.TCP_SYN_CHALLENGED, s.seg().flags(TcpHeader.SYN).send());
        assertEquals(TcpHeader.ACK, s.p.one().flags);
        assertEquals(TcpState.ESTABLISHED, s.t.state);
        stillWorks();
    }

    @Test
    void rfc5961_7_challengeAcksAreRateLimited() {
        int answers = 0;
        for (int i = 0; i < 100; i++) {
            s.seg().seq(s.peerSeq + 1000 + i).flags(TcpHeader.RST).send();
            answers += s.p.drain().size();
        }
        assertEquals(TcpConfig.DEFAULTS.challengeAcksPerSecond(), answers, "at most 10 a second");
        s.p.advance(1000);
        s.seg().seq(s.peerSeq + 1000).flags(TcpHeader.RST).send();
        assertEquals(1, s.p.drain().size(), "a second later, again");
    }

    @Test
    void rfc5961_5_2_anAckOfDataNeverSentIsAnsweredAndDropped() {
        s.write(1000);
        assertEquals(DropReason.TCP_ACK_UNSENT, s.seg(s.t.sndNxt + 100_000).send());
        assertTrue(s.p.one().hasAck());
        assertEquals(Scripted.ISS + 1, s.t.sndUna, "nothing was taken as acknowledged");
        s.seg().send();
        assertEquals(s.t.sndNxt, s.t.sndUna);
    }

    @Test
    void rfc5961_5_2_anAckOlderThanTheLargestWindowIsDropped() {
        assertEquals(DropReason.TCP_ACK_TOO_OLD, s.seg(s.t.sndUna - 200_000).send());
        stillWorks();
    }

    @Test
    void rfc9293_3_10_7_4_dataOutsideTheWindowIsAnsweredWithAnAckAndDropped() {
        int beyond = s.t.receiveBuffer.capacity() + 100_000;
        s.peerSeq += beyond;
        assertEquals(DropReason.TCP_OUT_OF_WINDOW, s.data(100));
        s.peerSeq -= beyond + 100;
        Segment ack = s.p.one();
        assertEquals(s.peerSeq, ack.ack);
        assertEquals(0, s.t.readable());
        stillWorks();
    }

    @Test
    void rfc7323_5_3_pawsDropsASegmentWithAnOlderTimestamp() {
        s.data(100);
        s.p.drain();
        s.peerTs -= 10;
        assertEquals(DropReason.TCP_PAWS, s.data(100));
        s.peerSeq -= 100;
        s.peerTs += 20;
        assertEquals(100, s.t.readable(), "the old duplicate's data was not taken");
        assertEquals(1, s.p.drain().size(), "answered with an ACK");
    }

    @Test
    void rfc7323_3_2_aSegmentWithoutTimestampsIsDroppedOnceTheyWereAgreed() {
        assertEquals(DropReason.TCP_NO_TIMESTAMP, s.p.segment().seq(s.peerSeq).ack(s.t.sndNxt).data(new byte[10]).send());
        assertEquals(0, s.t.readable());
    }

    @Test
    void rfc9293_3_10_7_4_aSegmentWithoutAckIsDropped() {
        assertEquals(DropReason.TCP_NO_ACK, s.seg().flags(TcpHeader.PSH).data(new byte[5]).send());
        assertEquals(0, s.t.readable());
    }

    @Test
    void aFloodOfBogusSegmentsLeavesTheConnectionAsItWas() {
        java.util.Random r = new java.util.Random(3);
        int una = s.t.sndUna;
        for (int i = 0; i < 10_000; i++) {
            int flags = r.nextInt(64) & ~TcpHeader.SYN;
            s.p.segment().seq(s.peerSeq + 70_000 + r.nextInt(1 << 30)).ack(r.nextInt()).flags(flags)
                    .timestamps(s.peerTs, 0).data(new byte[r.nextInt(100)]).send();
        }
        List<Segment> answers = s.p.drain();
        assertTrue(answers.size() <= 100, "answers are rate limited: " + answers.size());
        assertEquals(una, s.t.sndUna);
        stillWorks();
    }
}
