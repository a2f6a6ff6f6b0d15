package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.ip.DropReason;

/** Closing (RFC 9293 3.6, 3.10.4): half close, simultaneous close, TIME-WAIT, and closing on unread data. */
class TcbCloseTest {

    @Test
    void rfc9293_3_6_halfCloseOurFinFollowsTheDataAndWeStillReceive() {
        Scripted s = Scripted.open();
        s.write(3000);
        s.t.shutdownOutput(s.p.now);
        assertEquals(TcpState.FIN_WAIT_1, s.t.state);
        List<Segment> out = s.p.drain();
        Segment fin = out.get(out.size() - 1);
        assertTrue(fin.fin(), "FIN on the last data segment or right after it");
        assertEquals(Scripted.ISS + 1 + 3000, fin.seq + fin.dataLength);
        assertEquals(-1, s.t.write(new byte[1], 0, 1), "no more sending");
        s.seg().send(); // the peer ACKs data and FIN
        assertEquals(TcpState.FIN_WAIT_2, s.t.state);
        assertNull(s.data(500));
        assertEquals(500, s.t.read(new byte[1000], 0, 1000, s.p.now), "the other direction still carries data");
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.peerSeq++;
        assertEquals(TcpState.TIME_WAIT, s.t.state);
        assertEquals(-1, s.t.read(new byte[10], 0, 10, s.p.now), "end of stream");
    }

    @Test
    void rfc9293_3_6_halfCloseThePeersFinFirstAndWeStillSend() {
        Scripted s = Scripted.open();
        s.data(100);
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.peerSeq++;
        assertEquals(TcpState.CLOSE_WAIT, s.t.state);
        Segment ack = s.p.drain().get(0);
        assertEquals(s.peerSeq, ack.ack, "our ACK covers the data and the FIN at once");
        byte[] got = new byte[200];
        assertEquals(100, s.t.read(got, 0, 200, s.p.now));
        assertEquals(-1, s.t.read(got, 0, 200, s.p.now));
        assertTrue(!s.write(2000).isEmpty(), "we still send");
        s.t.shutdownOutput(s.p.now);
        assertEquals(TcpState.LAST_ACK, s.t.state);
        s.p.drain();
        s.seg().send();
        assertEquals(TcpState.CLOSED, s.t.state);
        assertNull(s.t.error, "a graceful end");
    }

    /**
     * Found by fuzzing: after a graceful end the unread data stays readable, and an abort then
     * left its buffer memory lent for ever (the connection had left the layer's table, and nothing
     * else would give it back to the pool).
     */
    @Test
    void anAbortAfterAGracefulEndGivesBackWhatWasNotRead() {
        Scripted s = Scripted.open();
        s.data(100);
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.peerSeq++;
        s.t.shutdownOutput(s.p.now);
        s.p.drain();
        s.seg().send(); // the peer ACKs our FIN
        assertEquals(TcpState.CLOSED, s.t.state);
        assertEquals(100, s.t.readable(), "still readable after a graceful end");
        s.t.abort(s.p.now);
        assertEquals(0, s.t.readable());
        assertEquals(0, s.t.receiveBuffer.chunks(), "its memory went back to the pool");
    }

    @Test
    void rfc9293_3_6_simultaneousCloseGoesThroughClosing() {
        Scripted s = Scripted.open();
        s.t.shutdownOutput(s.p.now);
        Segment ourFin = s.p.one();
        assertTrue(ourFin.fin());
        // The peer's FIN crosses ours: it does not ACK our FIN.
        s.seg(ourFin.seq).flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.peerSeq++;
        assertEquals(TcpState.CLOSING, s.t.state);
        s.p.drain();
        s.seg().send(); // now it ACKs our FIN
        assertEquals(TcpState.TIME_WAIT, s.t.state);
    }

    @Test
    void rfc9293_3_6_timeWaitLastsTwoMslOfFiveSeconds() {
        Scripted s = Scripted.open();
        s.t.shutdownOutput(s.p.now);
        s.p.drain();
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.peerSeq++;
        assertEquals(TcpState.TIME_WAIT, s.t.state);
        s.p.drain();
        s.p.advance(9_999);
        assertEquals(TcpState.TIME_WAIT, s.t.state);
        s.p.advance(1);
        assertEquals(TcpState.CLOSED, s.t.state);
        assertNull(s.t.error);
    }

    @Test
    void rfc9293_3_10_7_4_aRetransmittedFinInTimeWaitIsAckedAndRestartsTheTimer() {
        Scripted s = Scripted.open();
        s.t.shutdownOutput(s.p.now);
        s.p.drain();
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.p.drain();
        s.p.advance(8_000);
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send(); // the same FIN again: our ACK was lost
        s.peerSeq++;
        Segment ack = s.p.one();
        assertEquals(s.peerSeq, ack.ack);
        s.p.advance(8_000);
        assertEquals(TcpState.TIME_WAIT, s.t.state, "2 MSL from the retransmitted FIN");
        s.p.advance(2_000);
        assertEquals(TcpState.CLOSED, s.t.state);
    }

    @Test
    void rfc1122_4_2_2_13_closingWithUnreadDataResetsTheConnection() {
        Scripted s = Scripted.open();
        s.data(100);
        s.p.drain();
        s.t.close(s.p.now);
        Segment rst = s.p.one();
        assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.flags);
        assertEquals(s.t.sndNxt, rst.seq);
        assertEquals(ConnectionError.CLOSED_WITH_DATA_PENDING, s.t.error);
    }

    @Test
    void rfc1122_4_2_2_13_dataArrivingAfterCloseGetsAReset() {
        Scripted s = Scripted.open();
        s.t.close(s.p.now);
        s.p.drain();
        assertEquals(TcpState.FIN_WAIT_1, s.t.state);
        assertEquals(DropReason.TCP_DATA_AFTER_CLOSE, s.data(100));
        assertTrue(s.p.one().rst());
        assertEquals(TcpState.CLOSED, s.t.state);
    }

    @Test
    void finWait2EndsAfterSixtySecondsOnceTheApplicationClosed() {
        Scripted s = Scripted.open();
        s.t.close(s.p.now);
        s.p.drain();
        s.seg().send();
        assertEquals(TcpState.FIN_WAIT_2, s.t.state);
        s.p.advance(59_999);
        assertEquals(TcpState.FIN_WAIT_2, s.t.state);
        s.p.advance(1);
        assertEquals(TcpState.CLOSED, s.t.state);
        assertTrue(s.p.one().rst(), "the peer is told");
    }

    @Test
    void afterAGracefulEndUnreadDataStaysReadable() {
        Scripted s = Scripted.open();
        s.data(300);
        s.seg().flags(TcpHeader.FIN | TcpHeader.ACK).send();
        s.peerSeq++;
        s.t.shutdownOutput(s.p.now);
        s.p.drain();
        s.seg().send();
        assertEquals(TcpState.CLOSED, s.t.state);
        assertEquals(300, s.t.read(new byte[500], 0, 500, s.p.now));
        assertEquals(-1, s.t.read(new byte[500], 0, 500, s.p.now));
    }

    @Test
    void rfc9293_3_10_5_abortSendsAResetAndDropsEverything() {
        Scripted s = Scripted.open();
        s.write(5000);
        s.t.abort(s.p.now);
        Segment rst = s.p.one();
        assertTrue(rst.rst());
        assertEquals(TcpState.CLOSED, s.t.state);
        assertEquals(0, s.t.sendBuffer.size());
        assertEquals(ConnectionError.ABORTED, s.t.error);
    }
}
