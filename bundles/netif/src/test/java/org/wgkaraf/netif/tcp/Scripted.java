package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/**
 * A connection under test and a scripted peer that keeps its own sequence numbers and timestamps,
 * so a test writes "the peer sends 1000 bytes" or "the peer ACKs everything" and checks what the
 * connection answers. Options are what the test asks for in {@link #open}.
 */
final class Scripted {
    static final int ISS = 0xfffff000; // our ISN: sequence numbers wrap early in every test
    static final int PEER_ISS = 0x7ffffe00;
    final FakePeer p;
    final Tcb t;
    final boolean ts;
    int peerSeq;
    int peerTs = 5000;
    int window = 65535;

    private Scripted(Tcb t, boolean ts) {
        this.t = t;
        this.p = new FakePeer(t);
        this.ts = ts;
    }

    static Tcb tcb(TcpConfig config, boolean passive) {
        ChunkPool pool = new ChunkPool(64L << 20);
        return new Tcb(config, pool, pool, Packets.A, 40000, Packets.B, 22, passive, ISS, 1000);
    }

    /**
     * An established active connection: our SYN, the peer's SYN-ACK with the options asked for,
     * our ACK.
     *
     * @param peerWs the peer's window scale, or -1 for none
     */
    static Scripted open(TcpConfig config, boolean ts, boolean sack, int peerWs) {
        return open(config, ts, sack, peerWs, 0);
    }

    /** As {@link #open(TcpConfig, boolean, boolean, int)}, the SYN-ACK {@code rttMillis} after our SYN (the first RTT sample). */
    static Scripted open(TcpConfig config, boolean ts, boolean sack, int peerWs, long rttMillis) {
        Scripted s = new Scripted(tcb(config, false), ts);
        s.t.connect(s.p.now);
        Segment syn = s.p.one();
        s.p.advance(rttMillis);
        FakePeer.Builder b = s.p.segment().seq(PEER_ISS).ack(ISS + 1).flags(TcpHeader.SYN | TcpHeader.ACK).mss(1380)
                .window(65535);
        if (peerWs >= 0) {
            b.windowScale(peerWs);
        }
        if (sack) {
            b.sackPermitted();
        }
        if (ts) {
            b.timestamps(s.peerTs++, syn.tsVal);
        }
        b.send();
        s.peerSeq = PEER_ISS + 1;
        List<Segment> ack = s.p.drain();
        assertEquals(1, ack.size(), "our ACK of the SYN-ACK");
        assertEquals(TcpState.ESTABLISHED, s.t.state);
        return s;
    }

    static Scripted open() {
        return open(TcpConfig.DEFAULTS, true, true, 7);
    }

    /** A segment from the peer at its next sequence number, ACKing {@code ack}, with timestamps when in use. */
    FakePeer.Builder seg(int ack) {
        FakePeer.Builder b = p.segment().seq(peerSeq).ack(ack).window(window);
        if (ts) {
            b.timestamps(peerTs++, lastTsVal());
        }
        return b;
    }

    /** A segment ACKing everything we sent. */
    FakePeer.Builder seg() {
        return seg(t.sndNxt);
    }

    private int lastTsVal() {
        return p.sent.isEmpty() ? 0 : p.sent.get(p.sent.size() - 1).tsVal;
    }

    /** The peer sends data in order. */
    org.wgkaraf.netif.ip.DropReason data(int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) (peerSeq + i);
        }
        org.wgkaraf.netif.ip.DropReason r = seg().flags(TcpHeader.ACK | TcpHeader.PSH).data(d).send();
        peerSeq += n;
        return r;
    }

    /** The application writes n bytes; returns what the connection sends at once. */
    List<Segment> write(int n) {
        assertEquals(n, t.write(new byte[n], 0, n));
        return p.drain();
    }
}
