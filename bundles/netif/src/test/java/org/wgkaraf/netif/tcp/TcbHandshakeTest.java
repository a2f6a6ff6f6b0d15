package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.ip.DropReason;

/** Opening a connection (RFC 9293 3.5, 3.10.7.3) and the options agreed on (RFC 9293 3.7.1, RFC 7323, RFC 2018). */
class TcbHandshakeTest {

    @Test
    void rfc9293_3_7_1_ourSynAnnouncesMss1380WindowScaleSackAndTimestamps() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        Segment syn = p.one();
        assertEquals(TcpHeader.SYN, syn.flags);
        assertEquals(Scripted.ISS, syn.seq);
        assertEquals(1380, syn.mss, "1420 MTU - 40");
        assertEquals(7, syn.windowScale, "the smallest shift that covers the 4 MiB buffer");
        assertTrue(syn.sackPermitted);
        assertTrue(syn.hasTimestamps);
        assertEquals(0, syn.tsEcr);
        assertEquals(TcpState.SYN_SENT, t.state);
    }

    @Test
    void rfc7323_2_3_theReceiveBufferOfAtLeastOneMebibyteIsOfferedThroughWindowScaling() {
        Scripted s = Scripted.open();
        int buffer = s.t.receiveBuffer.capacity();
        assertTrue(buffer >= 1 << 20);
        Segment ack = s.p.sent.get(s.p.sent.size() - 1);
        assertEquals(buffer >> 7, ack.window, "the buffer >> 7 in the window field");
        assertEquals(buffer, s.t.rcvAdv - s.t.rcvNxt(), "the right edge is the whole buffer ahead");
    }

    @Test
    void rfc9293_3_5_threeWayHandshakeAsPassiveSide() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, true);
        FakePeer p = new FakePeer(t);
        Segment syn = new Segment();
        byte[] raw = p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).mss(1200).windowScale(3).sackPermitted()
                .timestamps(7, 0).build();
        assertNull(SegmentParser.parse(Packets.B, Packets.A, raw, 20, raw.length - 20, syn));
        t.acceptSyn(syn, p.now);
        Segment synAck = p.one();
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, synAck.flags);
        assertEquals(Scripted.PEER_ISS + 1, synAck.ack);
        assertEquals(7, synAck.tsEcr, "echoes the SYN's timestamp");
        assertEquals(7, synAck.windowScale);
        assertEquals(TcpState.SYN_RECEIVED, t.state);
        assertNull(p.segment().seq(Scripted.PEER_ISS + 1).ack(Scripted.ISS + 1).timestamps(8, synAck.tsVal).send());
        assertEquals(TcpState.ESTABLISHED, t.state);
        assertEquals(1200 - 12, t.mss, "the peer's MSS, less our timestamp option");
        assertEquals(3, t.sndScale);
    }

    @Test
    void rfc9293_3_7_1_dataSegmentsNeverExceedTheSmallerMssLessOptions() {
        Scripted s = Scripted.open();
        List<Segment> sent = s.write(10_000);
        assertTrue(sent.size() >= 7);
        for (Segment seg : sent) {
            assertTrue(seg.dataLength <= 1380 - 12, "at most 1368 bytes of data with timestamps: " + seg.dataLength);
        }
        assertEquals(1368, sent.get(0).dataLength);
    }

    @Test
    void rfc7323_rfc2018_optionsArePeeledOffWhenThePeerDoesNotSendThem() {
        Scripted s = Scripted.open(TcpConfig.DEFAULTS, false, false, -1);
        assertFalse(s.t.tsOk);
        assertFalse(s.t.sackOk);
        assertEquals(0, s.t.sndScale);
        assertEquals(0, s.t.rcvScale, "no scaling either way unless both sent the option");
        assertEquals(1380, s.t.mss);
        Segment ack = s.p.sent.get(s.p.sent.size() - 1);
        assertFalse(ack.hasTimestamps, "no timestamps once the peer did not agree");
        assertEquals(65535, ack.window, "an unscaled window cannot say more");
    }

    @Test
    void rfc9293_3_7_1_withoutAnMssOptionThePeerGets536() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        p.one();
        p.segment().seq(Scripted.PEER_ISS).ack(Scripted.ISS + 1).flags(TcpHeader.SYN | TcpHeader.ACK).send();
        assertEquals(536, t.mss);
    }

    @Test
    void rfc9293_3_5_simultaneousOpenGoesThroughSynReceived() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        Segment ourSyn = p.one();
        // Our SYN and the peer's cross: the peer's SYN comes without ACK.
        assertNull(p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).mss(1380).timestamps(1, 0).sackPermitted().windowScale(2).send());
        assertEquals(TcpState.SYN_RECEIVED, t.state);
        Segment synAck = p.one();
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, synAck.flags);
        assertEquals(ourSyn.seq, synAck.seq, "the same ISN again");
        assertEquals(Scripted.PEER_ISS + 1, synAck.ack);
        // The peer's SYN-ACK (its answer to our SYN) lies before RCV.NXT: answered with an ACK
        // (RFC 9293; RFC 5961 4.2 for a SYN), which moves the peer to ESTABLISHED; the peer's
        // ACK of our SYN-ACK moves us.
        assertEquals(DropReason.TCP_SYN_CHALLENGED, p.segment().seq(Scripted.PEER_ISS).ack(Scripted.ISS + 1)
                .flags(TcpHeader.SYN | TcpHeader.ACK).timestamps(2, ourSyn.tsVal).send());
        assertEquals(TcpHeader.ACK, p.one().flags);
        assertNull(p.segment().seq(Scripted.PEER_ISS + 1).ack(Scripted.ISS + 1).timestamps(3, synAck.tsVal).send());
        assertEquals(TcpState.ESTABLISHED, t.state);
    }

    @Test
    void rfc9293_3_10_7_3_aResetAcknowledgingOurSynRefusesTheConnection() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        p.one();
        assertNull(p.segment().seq(0).ack(Scripted.ISS + 1).flags(TcpHeader.RST | TcpHeader.ACK).send());
        assertEquals(TcpState.CLOSED, t.state);
        assertEquals(ConnectionError.REFUSED, t.error);
        p.none(); // never answer a reset
    }

    @Test
    void rfc5961_3_2_aResetWithoutAckInSynSentIsIgnored() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        p.one();
        assertEquals(DropReason.TCP_RESET_IGNORED, p.segment().seq(0).flags(TcpHeader.RST).send());
        assertEquals(TcpState.SYN_SENT, t.state);
    }

    @Test
    void rfc9293_3_10_7_3_anAckOfSomethingElseInSynSentGetsAResetAtItsAckNumber() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        p.one();
        assertEquals(DropReason.TCP_ACK_UNACCEPTABLE, p.segment().seq(5).ack(12345).flags(TcpHeader.ACK).send());
        Segment rst = p.one();
        assertEquals(TcpHeader.RST, rst.flags);
        assertEquals(12345, rst.seq);
        assertEquals(TcpState.SYN_SENT, t.state, "our SYN still waits for its answer");
    }

    @Test
    void rfc6298_5_theSynIsResentWithBackoffAndConnectFailsAfterSixRetries() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        p.one();
        long[] expected = {1000, 2000, 4000, 8000, 16000, 32000};
        for (long wait : expected) {
            p.advance(wait - 1);
            p.none();
            p.advance(1);
            assertEquals(TcpHeader.SYN, p.one().flags, "a SYN again after " + wait + " ms");
        }
        p.advance(64_000);
        assertEquals(TcpState.CLOSED, t.state);
        assertEquals(ConnectionError.TIMED_OUT, t.error);
    }

    @Test
    void rfc6298_karn_aRetransmittedSynGivesNoRttSample() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, false);
        FakePeer p = new FakePeer(t);
        t.connect(p.now);
        p.one();
        p.advance(1000);
        p.one(); // the SYN again
        p.advance(300);
        p.segment().seq(Scripted.PEER_ISS).ack(Scripted.ISS + 1).flags(TcpHeader.SYN | TcpHeader.ACK).send();
        assertFalse(t.rto.measured(), "which SYN was answered is unknown");
    }

    @Test
    void theSynAckIsResentWhenThePeersSynComesAgain() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, true);
        FakePeer p = new FakePeer(t);
        byte[] raw = p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).build();
        Segment syn = new Segment();
        SegmentParser.parse(Packets.B, Packets.A, raw, 20, raw.length - 20, syn);
        t.acceptSyn(syn, p.now);
        p.one();
        p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).send();
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, p.one().flags);
    }

    @Test
    void rfc7323_4_3_theSynAckResentForARetransmittedSynEchoesThatSyn() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, true);
        FakePeer p = new FakePeer(t);
        byte[] raw = p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).sackPermitted().timestamps(7, 0).build();
        Segment syn = new Segment();
        SegmentParser.parse(Packets.B, Packets.A, raw, 20, raw.length - 20, syn);
        t.acceptSyn(syn, p.now);
        assertEquals(7, p.one().tsEcr);
        // The SYN-ACK was lost; the peer's SYN comes again a second later, with its clock's time then.
        p.advance(1000);
        p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).sackPermitted().timestamps(1007, 0).send();
        Segment again = p.one();
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, again.flags);
        assertEquals(1007, again.tsEcr, "the SYN it answers, so the peer measures one round trip, not the second it waited");
        // An older SYN (reordered) changes nothing.
        p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).sackPermitted().timestamps(7, 0).send();
        assertEquals(1007, p.one().tsEcr);
    }

    @Test
    void halfOpenConnectionsGiveUpAfterFiveSynAckRetries() {
        Tcb t = Scripted.tcb(TcpConfig.DEFAULTS, true);
        FakePeer p = new FakePeer(t);
        byte[] raw = p.segment().seq(Scripted.PEER_ISS).flags(TcpHeader.SYN).build();
        Segment syn = new Segment();
        SegmentParser.parse(Packets.B, Packets.A, raw, 20, raw.length - 20, syn);
        t.acceptSyn(syn, p.now);
        p.one();
        p.runFor(1000 + 2000 + 4000 + 8000 + 16000 + 32000 + 1);
        assertEquals(6, p.sent.size(), "the SYN-ACK and five retries");
        assertEquals(TcpState.CLOSED, t.state);
    }
}
