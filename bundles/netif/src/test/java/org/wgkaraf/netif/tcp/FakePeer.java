package org.wgkaraf.netif.tcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.DropReason;

/**
 * A scripted peer for one {@link Tcb}: writes the segments a test wants (any field, any option)
 * with SegmentWriter, feeds them to the connection under test, and collects what it sends back.
 * The clock is the test's.
 */
final class FakePeer {
    final Tcb tcb;
    long now = 1_000_000_000L;
    private final byte[] out = new byte[70000];
    private final byte[] in = new byte[70000];
    final List<Segment> sent = new ArrayList<>();
    final List<byte[]> raw = new ArrayList<>();
    DropReason lastDrop;

    FakePeer(Tcb tcb) {
        this.tcb = tcb;
    }

    /** What the connection sends now, parsed, in order; also kept in {@link #sent}. */
    List<Segment> drain() {
        List<Segment> got = new ArrayList<>();
        int n;
        int guard = 0;
        while ((n = tcb.poll(out, now)) > 0) {
            byte[] p = Arrays.copyOf(out, n);
            raw.add(p);
            Segment s = Packets.parse(p);
            got.add(s);
            sent.add(s);
            if (++guard > 100_000) {
                throw new AssertionError("the connection never stops sending");
            }
        }
        return got;
    }

    /** Exactly one segment is sent now: returns it. */
    Segment one() {
        List<Segment> got = drain();
        if (got.size() != 1) {
            throw new AssertionError("expected one segment, got " + got);
        }
        return got.get(0);
    }

    void none() {
        List<Segment> got = drain();
        if (!got.isEmpty()) {
            throw new AssertionError("expected nothing sent, got " + got);
        }
    }

    void advance(long millis) {
        now += millis * 1_000_000L;
        if (tcb.nextDeadline() <= now) {
            tcb.timer(now);
        }
    }

    /** Runs the connection's timers up to {@code millis} later, as the runtime would. */
    void runFor(long millis) {
        long end = now + millis * 1_000_000L;
        while (tcb.nextDeadline() <= end) {
            now = Math.max(now, tcb.nextDeadline());
            tcb.timer(now);
            drain();
        }
        now = end;
    }

    Builder segment() {
        return new Builder();
    }

    /** A segment from the peer to the connection. */
    final class Builder {
        int seq;
        int ack;
        int flags = TcpHeader.ACK;
        int window = 65535;
        byte[] data = new byte[0];
        int mss = -1;
        int ws = -1;
        boolean sackPermitted;
        boolean ts;
        int tsVal;
        int tsEcr;
        int[][] sack = new int[0][];
        boolean corrupt;

        Builder seq(int v) {
            seq = v;
            return this;
        }

        Builder ack(int v) {
            ack = v;
            return this;
        }

        Builder flags(int v) {
            flags = v;
            return this;
        }

        Builder window(int v) {
            window = v;
            return this;
        }

        Builder data(byte[] d) {
            data = d;
            return this;
        }

        Builder mss(int v) {
            mss = v;
            return this;
        }

        Builder windowScale(int v) {
            ws = v;
            return this;
        }

        Builder sackPermitted() {
            sackPermitted = true;
            return this;
        }

        Builder timestamps(int val, int ecr) {
            ts = true;
            tsVal = val;
            tsEcr = ecr;
            return this;
        }

        Builder sack(int start, int end) {
            sack = Arrays.copyOf(sack, sack.length + 1);
            sack[sack.length - 1] = new int[] {start, end};
            return this;
        }

        byte[] build() {
            SegmentWriter.header(in, tcb.remotePort, tcb.localPort, seq, ack, flags, window);
            int at = SegmentWriter.OPTIONS;
            if (mss >= 0) {
                at = SegmentWriter.mss(in, at, mss);
            }
            if (ws >= 0) {
                at = SegmentWriter.windowScale(in, at, ws);
            }
            if (sackPermitted) {
                at = SegmentWriter.sackPermitted(in, at);
            }
            if (ts) {
                at = SegmentWriter.timestamps(in, at, tsVal, tsEcr);
            }
            if (sack.length > 0) {
                int[] s = new int[sack.length];
                int[] e = new int[sack.length];
                for (int i = 0; i < sack.length; i++) {
                    s[i] = sack[i][0];
                    e[i] = sack[i][1];
                }
                at = SegmentWriter.sack(in, at, s, e, sack.length);
            }
            System.arraycopy(data, 0, in, at, data.length);
            int n = SegmentWriter.finish(in, at, data.length, tcb.remoteAddress, tcb.localAddress, 7);
            if (corrupt) {
                in[n - 1] ^= 1;
            }
            return Arrays.copyOf(in, n);
        }

        /** Parses it as the runtime would and hands it to the connection; returns the drop reason or null. */
        DropReason send() {
            byte[] p = build();
            Segment s = new Segment();
            DropReason r = SegmentParser.parse(Bytes.get32(p, 12), Bytes.get32(p, 16), p, 20, p.length - 20, s);
            if (r == null) {
                r = tcb.segment(s, now);
            }
            lastDrop = r;
            return r;
        }
    }
}
