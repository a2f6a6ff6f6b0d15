package org.wgkaraf.netif.tcp;

import static org.wgkaraf.netif.FuzzSeeds.cat;
import static org.wgkaraf.netif.FuzzSeeds.ops;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NoRouteToHostException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.netif.FuzzInput;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.Checksum;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.ip.Ipv4Header;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * Everything a peer and the application can do to the userspace TCP layer, driven by bytes: the
 * layer A (10.214.0.2) listens on port 22 and may connect out; the peer B (10.214.0.1) sends
 * segments from several ports; the application accepts, reads, writes, closes; time passes. The
 * peer's segments are built relative to the real connection's numbers (B's next sequence number,
 * the highest A sent), so the fuzzer's small offsets land in the window and get past
 * acceptability, and every byte B sends is the function {@link #peerByte} of its sequence number,
 * so what the application reads can be checked byte for byte.
 *
 * <p>Deterministic: a seeded random source for ISNs, ports and the table's hash, a fake clock, no
 * threads (packets are sent on the calling thread, timers run when the input says), and a new
 * layer for each input.
 *
 * <p>Checked after every operation, besides "never throws":
 * <ul>
 * <li>every packet A sends is a well-formed IPv4 packet (checksums, TTL, addresses), never longer
 *     than the tunnel MTU, and the data it carries is what the application wrote at that place of
 *     the stream, never beyond it;</li>
 * <li>what the application reads is B's bytes at exactly the stream offsets read, in order, never
 *     beyond what B sent;</li>
 * <li>buffer memory stays within the budget and is all held by connections that can still free it
 *     (the table's, or those the application holds): none leaks;</li>
 * <li>no more connections than the limits, and the layer's counts agree with the states;</li>
 * <li>each connection's state agrees with its variables (FIN flags, sequence numbers, the
 *     retransmission queue, the out-of-order ranges, the window), and one that has something to
 *     send has a timer that will send it; after the timers ran, none is left due;</li>
 * <li>closing the layer at the end frees every connection and its memory.</li>
 * </ul>
 */
public final class TcpFuzzHarness {
    static final int A = Packets.A;
    static final int B = Packets.B;
    static final int LISTEN_PORT = 22;
    static final int CLOSED_PORT = 23;
    /** B's ports that open connections to A: 40000 and up. */
    static final int PASSIVE_PEERS = 6;
    static final int FIRST_PEER_PORT = 40000;
    /** B's listening ports that A connects to. */
    static final int[] SERVER_PORTS = {80, 81};
    static final int OPS = 12;
    static final int SYN = 0;
    static final int SEGMENT = 1;
    static final int ACK = 2;
    static final int TIME = 3;
    static final int WRITE = 4;
    static final int READ = 5;
    static final int CLOSE = 6;
    static final int ACCEPT = 7;
    static final int CONNECT = 8;
    static final int LISTEN = 9;
    static final int RAW = 10;
    static final int ROUNDS = 11;
    private static final int MAX_ROUNDS = 24;
    private static final int MAX_OPS = 64;
    private static final int MAX_TIMER_RUNS = 400;
    private static final long START = 1_000_000_000L;
    /** -Dnetif.fuzz.trace=true prints each operation and the connections after it: for reading a finding. */
    private static final boolean TRACE = Boolean.getBoolean("netif.fuzz.trace");
    private static final Inet4Address B_ADDRESS = Bytes.address(B);

    final TcpConfig config;
    final UserspaceTcp tcp;
    long now = START;
    private final Link link = new Link();
    private final FuzzInput in;
    private final byte[] packet = new byte[70_000];
    private final byte[] scratch = new byte[70_000];
    private AcceptQueue queue;
    private AutoCloseable listener;
    private final List<Peer> peers = new ArrayList<>();
    private final Map<Long, Peer> byTuple = new LinkedHashMap<>();
    /** The connections the application holds and has not closed. */
    private final List<UserspaceConnection> app = new ArrayList<>();
    /** Those it closed or aborted: it may still call them, but they must hold no memory once out of the table. */
    private final List<UserspaceConnection> closedByApp = new ArrayList<>();
    private final Map<UserspaceConnection, Long> readOffset = new IdentityHashMap<>();
    private final Map<UserspaceConnection, Long> written = new IdentityHashMap<>();
    /** The highest stream offset of B's data that reached each connection (an upper bound on what it may deliver). */
    private final Map<UserspaceConnection, Long> peerSent = new IdentityHashMap<>();
    /** Connections that took bytes not made by {@link #peerByte} (a raw segment): their stream is not checked. */
    private final Set<UserspaceConnection> tainted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<UserspaceConnection> everEstablished = Collections.newSetFromMap(new IdentityHashMap<>());
    final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);

    // What happened, for the harness's own test.
    int accepted;
    long bytesRead;
    long bytesWritten;
    int dataSegmentsChecked;
    int resetsSent;
    int maxConnections;
    int timeWaitSeen;
    /** A digest of every packet A sent, in order: the same input gives the same digest. */
    long packetDigest = 1;

    /** A four-tuple as B sees it, with B's side of the conversation and what it learned of A's. */
    static final class Peer {
        final int aPort;
        final int bPort;
        /** B's initial sequence number, and the next one it would send. */
        int iss;
        int next;
        /** B's timestamp clock. */
        int ts;
        boolean bSentTimestamps;
        boolean aSentTimestamps;
        /** One past the highest sequence number A sent, SYN and FIN included. */
        int aNext;
        int aTsVal;
        /** A's ISN, and B's receiving side as a real receiver would keep it (for {@link #ROUNDS}). */
        int aIss;
        /** A's segments (start, end, as offsets from A's ISN) sent since B last received. */
        final List<int[]> inFlight = new ArrayList<>();
        /** One past what B received in order, as an offset from A's ISN. */
        int received;
        /** What B holds beyond a gap: disjoint ranges of offsets, sorted. */
        final List<int[]> beyond = new ArrayList<>();

        /** B receives A's segment of offsets [s, e): in order, or kept beyond a gap. */
        void receive(int s, int e) {
            if (e <= received) {
                return;
            }
            s = Math.max(s, received);
            int i = 0;
            while (i < beyond.size() && beyond.get(i)[1] < s) {
                i++;
            }
            while (i < beyond.size() && beyond.get(i)[0] <= e) {
                int[] r = beyond.remove(i);
                s = Math.min(s, r[0]);
                e = Math.max(e, r[1]);
            }
            beyond.add(i, new int[] {s, e});
            while (!beyond.isEmpty() && beyond.get(0)[0] <= received) {
                received = Math.max(received, beyond.remove(0)[1]);
            }
        }

        Peer(int aPort, int bPort) {
            this.aPort = aPort;
            this.bPort = bPort;
            this.iss = 0x7fff0000 + (bPort << 8); // wraps within a few incarnations
            this.next = iss;
            this.ts = 5000 + bPort;
        }

        boolean timestamps() {
            return bSentTimestamps && aSentTimestamps;
        }
    }

    TcpFuzzHarness(byte[] input) {
        in = new FuzzInput(input);
        config = config(in.u8());
        tcp = new UserspaceTcp(link, () -> now, config, false, seeded(0x5eed_7c9L));
        for (int i = 0; i < PASSIVE_PEERS; i++) {
            peer(LISTEN_PORT, FIRST_PEER_PORT + i);
        }
        listen(2);
    }

    /** Runs the operations of {@code input} against a new layer, then closes it; returns the harness to look at. */
    public static TcpFuzzHarness run(byte[] input) {
        TcpFuzzHarness h = new TcpFuzzHarness(input);
        h.execute();
        h.closeLayer();
        return h;
    }

    /**
     * The layer's limits, small so the fuzzer reaches each: 4 connections, 3 half-open (2 a port),
     * 2 in TIME-WAIT, 8 gaps, 64 segments in flight, 6 chunks of memory each way. Bit 0 of the
     * first input byte picks NewReno instead of BBR, bit 1 buffers of 256 KiB (window scaling)
     * instead of 32 KiB, bit 2 turns pacing off.
     */
    static TcpConfig config(int b) {
        int buffer = (b & 2) != 0 ? 256 << 10 : 32 << 10;
        return new TcpConfig(TcpConfig.TUNNEL_MTU - 40, buffer, buffer, 2L * 6 * ChunkPool.CHUNK, 4, 3, 2, 2, 8, 64,
                TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(200),
                TimeUnit.SECONDS.toNanos(60), 6, 3, 2, TimeUnit.MILLISECONDS.toNanos(40), TimeUnit.SECONDS.toNanos(60), 10,
                (b & 1) != 0 ? TcpConfig.Congestion.NEW_RENO : TcpConfig.Congestion.BBR, (b & 4) == 0);
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed); // before any output: the stream is then a function of the seed
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The byte B sends at sequence number {@code seq}. */
    static byte peerByte(int seq) {
        int x = seq * 0x9e3779b1;
        x ^= x >>> 15;
        x *= 0x85ebca77;
        x ^= x >>> 13;
        return (byte) x;
    }

    /** The byte A's application writes at stream offset {@code offset}. */
    static byte appByte(long offset) {
        long x = (offset + 0x632be59bd9b4e019L) * 0x9e3779b97f4a7c15L;
        x ^= x >>> 29;
        return (byte) x;
    }

    /**
     * Runs the operations, at most {@value #MAX_OPS}: each starts with a byte whose value modulo
     * {@value #OPS} selects it; reads past the input's end give zeros. "u8 peer" selects one of
     * the four-tuples B knows, "u8 app" one of the connections the application holds.
     * <ol start="0">
     *   <li>SYN: u8 slot (B's port 40000 + slot mod 6), u8 options (bit 0 window scale, bit 1
     *       SACK permitted, bit 2 timestamps, bit 3 MSS, bit 4 to the closed port 23, bit 5 data,
     *       bit 6 FIN), u16 window, u16 added to B's next ISN, then the arguments of the options
     *       present: u8 shift, u16 MSS, u8 data length. B opens a new incarnation of that
     *       four-tuple.</li>
     *   <li>SEGMENT: u8 peer, u8 flags, s16 from B's next sequence number, s16 from the highest A
     *       sent, u16 window, u8 options (bit 0 timestamps, bit 5 with a TSval behind B's clock;
     *       bit 1 SACK; bit 2 MSS; bit 3 window scale; bit 4 SACK permitted), then the arguments
     *       of the options present, in that order (u8 how far behind; u8 blocks, each s16 from the
     *       ACK and u16 long; u16 MSS; u8 shift), then u16 data length (mod 2 MSS + 1).</li>
     *   <li>ACK: u8 peer, u8 window (0: 65535, else times 256), u8 data length (times 8), u8 bit
     *       0 FIN, bit 1 PSH: B acknowledges everything at its next sequence number.</li>
     *   <li>TIME: u16 times 4 ms pass; the timers run as the timer thread would run them.</li>
     *   <li>WRITE: u8 app, u16 bytes: the application writes as many as it can without blocking.</li>
     *   <li>READ: u8 app, u16 bytes: the application reads, if that would not block.</li>
     *   <li>CLOSE: u8 app, u8 how: close, shutdownOutput, abort, or the input stream's close.</li>
     *   <li>ACCEPT: the application takes a connection from the accept queue.</li>
     *   <li>CONNECT: u8: the application connects to B's port 80 or 81.</li>
     *   <li>LISTEN: u8 backlog: stops listening on port 22, or listens again.</li>
     *   <li>RAW: u8 peer, u8 length (of up to 255), u8 mode, then the bytes: a TCP segment as the
     *       input wrote it (bit 0: the peer's ports written in; bit 1: its checksum computed).</li>
     *   <li>ROUNDS: u8 peer, u8 rounds (mod 24, plus one), u8 round-trip time in ms (plus one),
     *       u8 loss pattern, u8 segments written a round (mod 4): a transfer as a path makes it.
     *       Each round the application writes, a round-trip time passes (timers run), B receives
     *       what A sent since the last round except the segments the pattern drops (bit i drops
     *       the i-th, modulo 8; the pattern turns by one each round), and B acknowledges as a
     *       receiver does (cumulative ACK, SACK blocks for what it holds beyond a gap).</li>
     * </ol>
     */
    void execute() {
        for (int ops = 0; ops < MAX_OPS && in.more(); ops++) {
            int op = in.u8() % OPS;
            switch (op) {
                case SYN -> syn();
                case SEGMENT -> segment();
                case ACK -> ack();
                case TIME -> runTimers(now + in.u16() * 4_000_000L);
                case WRITE -> write();
                case READ -> read();
                case CLOSE -> close();
                case ACCEPT -> accept();
                case CONNECT -> connect();
                case LISTEN -> toggleListener();
                case RAW -> raw();
                default -> rounds();
            }
            if (TRACE) {
                System.out.println("op " + op + " at " + (now - START) / 1_000_000 + " ms: " + tcp.describe().replace("\n", "; ")
                        + " app " + app + " closed " + closedByApp + " pools " + tcp.bytesInUse() / ChunkPool.CHUNK);
            }
            check();
        }
    }

    // ------------------------------------------------------------------ the peer

    private Peer peer(int aPort, int bPort) {
        long key = (long) aPort << 16 | bPort;
        Peer p = byTuple.get(key);
        if (p == null) {
            p = new Peer(aPort, bPort);
            byTuple.put(key, p);
            peers.add(p);
        }
        return p;
    }

    private Peer anyPeer() {
        return peers.get(in.u8() % peers.size());
    }

    private void syn() {
        Peer p = peer(LISTEN_PORT, FIRST_PEER_PORT + in.u8() % PASSIVE_PEERS);
        int opts = in.u8();
        if ((opts & 0x10) != 0) {
            p = peer(CLOSED_PORT, p.bPort);
        }
        int window = in.u16();
        p.iss = p.iss + 0x01000000 + in.u16(); // a newer incarnation: above the last one's numbers
        p.next = p.iss;
        p.aNext = 0;
        p.bSentTimestamps = (opts & 4) != 0;
        p.aSentTimestamps = false;
        Options o = new Options();
        o.windowScale = (opts & 1) != 0 ? in.u8() : -1;
        o.sackPermitted = (opts & 2) != 0;
        o.timestamps = (opts & 4) != 0;
        o.tsVal = ++p.ts;
        o.mss = (opts & 8) != 0 ? in.u16() : -1;
        int length = (opts & 0x20) != 0 ? in.u8() : 0;
        int flags = TcpHeader.SYN | ((opts & 0x40) != 0 ? TcpHeader.FIN : 0);
        int resetsBefore = resetsSent;
        DropReason r = send(p, p.iss, 0, flags, window, o, length, true);
        if (p.aPort == CLOSED_PORT && resetsSent != resetsBefore + 1) {
            throw new AssertionError("a SYN to a closed port was not answered with one reset: " + r);
        }
    }

    private void segment() {
        Peer p = anyPeer();
        int flags = in.u8() & 0x3f;
        int seq = p.next + in.s16();
        int ack = p.aNext + in.s16();
        int window = in.u16();
        int opts = in.u8();
        Options o = new Options();
        if ((opts & 1) != 0) {
            o.timestamps = true;
            o.tsVal = (opts & 0x20) != 0 ? p.ts - 1 - in.u8() : ++p.ts;
            o.tsEcr = p.aTsVal;
        }
        if ((opts & 2) != 0) {
            o.sackBlocks = 1 + in.u8() % TcpHeader.MAX_SACK_BLOCKS;
            for (int i = 0; i < o.sackBlocks; i++) {
                o.sackStart[i] = ack + in.s16();
                o.sackEnd[i] = o.sackStart[i] + in.u16();
            }
        }
        o.mss = (opts & 4) != 0 ? in.u16() : -1;
        o.windowScale = (opts & 8) != 0 ? in.u8() : -1;
        o.sackPermitted = (opts & 0x10) != 0;
        if ((flags & TcpHeader.SYN) != 0 && o.timestamps) {
            p.bSentTimestamps = true;
        }
        int length = in.u16() % (2 * config.mss() + 1);
        send(p, seq, ack, flags, window, o, length, true);
    }

    private void ack() {
        Peer p = anyPeer();
        int w = in.u8();
        int length = in.u8() * 8;
        int extra = in.u8();
        int flags = TcpHeader.ACK | ((extra & 1) != 0 ? TcpHeader.FIN : 0) | ((extra & 2) != 0 ? TcpHeader.PSH : 0);
        Options o = new Options();
        if (p.timestamps()) {
            o.timestamps = true;
            o.tsVal = ++p.ts;
            o.tsEcr = p.aTsVal;
        }
        send(p, p.next, p.aNext, flags, w == 0 ? 65535 : w << 8, o, length, true);
    }

    /** The options of a segment B sends. */
    private static final class Options {
        int mss = -1;
        int windowScale = -1;
        boolean sackPermitted;
        boolean timestamps;
        int tsVal;
        int tsEcr;
        int sackBlocks;
        final int[] sackStart = new int[TcpHeader.MAX_SACK_BLOCKS];
        final int[] sackEnd = new int[TcpHeader.MAX_SACK_BLOCKS];
    }

    /** Builds B's segment (its data B's bytes at those sequence numbers) and hands it to the layer. */
    private DropReason send(Peer p, int seq, int ack, int flags, int window, Options o, int length, boolean honest) {
        SegmentWriter.header(packet, p.bPort, p.aPort, seq, ack, flags, window);
        int at = SegmentWriter.OPTIONS;
        if (o.mss >= 0) {
            at = SegmentWriter.mss(packet, at, o.mss);
        }
        if (o.windowScale >= 0) {
            at = SegmentWriter.windowScale(packet, at, o.windowScale);
        }
        if (o.sackPermitted) {
            at = SegmentWriter.sackPermitted(packet, at);
        }
        if (o.timestamps) {
            at = SegmentWriter.timestamps(packet, at, o.tsVal, o.tsEcr);
        }
        int room = SegmentWriter.OPTIONS + 40 - at;
        int blocks = Math.min(o.sackBlocks, (room - 4) / 8);
        if (blocks > 0) {
            at = SegmentWriter.sack(packet, at, o.sackStart, o.sackEnd, blocks);
        }
        int first = seq + ((flags & TcpHeader.SYN) != 0 ? 1 : 0);
        for (int i = 0; i < length; i++) {
            packet[at + i] = peerByte(first + i);
        }
        int n = SegmentWriter.finish(packet, at, length, B, A, 1);
        if (o.timestamps) {
            p.ts = Seq.max(p.ts, o.tsVal);
        }
        int spaceEnd = seq + length + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
        if ((flags & TcpHeader.RST) == 0 && Seq.gt(spaceEnd, p.next)) {
            p.next = spaceEnd;
        }
        DropReason r = input(packet, n);
        if (honest && length > 0) {
            UserspaceConnection c = connection(p);
            if (c != null) {
                long end = (first + length) - (c.tcb.irs + 1);
                peerSent.merge(c, end, Math::max);
            }
        }
        return r;
    }

    private DropReason input(byte[] p, int n) {
        DropReason r = tcp.input(B, A, p, SegmentWriter.TCP, n - SegmentWriter.TCP, false);
        if (r != null) {
            drops.merge(r, 1L, Long::sum);
        }
        return r;
    }

    private void raw() {
        Peer p = anyPeer();
        int length = in.u8();
        int mode = in.u8();
        byte[] bytes = in.bytes(length);
        UserspaceConnection before = connection(p);
        System.arraycopy(bytes, 0, packet, SegmentWriter.TCP, bytes.length);
        if ((mode & 1) != 0 && bytes.length >= 4) {
            Bytes.put16(packet, SegmentWriter.TCP, p.bPort);
            Bytes.put16(packet, SegmentWriter.TCP + 2, p.aPort);
        }
        if ((mode & 2) != 0 && bytes.length >= TcpHeader.CHECKSUM + 2) {
            Bytes.put16(packet, SegmentWriter.TCP + TcpHeader.CHECKSUM, 0);
            Bytes.put16(packet, SegmentWriter.TCP + TcpHeader.CHECKSUM,
                    Checksum.transport(B, A, Ipv4Header.PROTOCOL_TCP, packet, SegmentWriter.TCP, bytes.length));
        }
        input(packet, SegmentWriter.TCP + bytes.length);
        if (before != null) {
            tainted.add(before);
        }
        UserspaceConnection after = connection(p);
        if (after != null) {
            tainted.add(after);
        }
    }

    private void rounds() {
        Peer p = anyPeer();
        int rounds = 1 + in.u8() % MAX_ROUNDS;
        long rtt = (1 + in.u8()) * 1_000_000L;
        int pattern = in.u8();
        int segments = in.u8() % 4;
        UserspaceConnection c = null;
        for (UserspaceConnection a : app) {
            if (a.tcb.localPort == p.aPort && a.tcb.remotePort == p.bPort) {
                c = a;
            }
        }
        for (int r = 0; r < rounds; r++) {
            if (c != null && segments > 0) {
                write(c, segments * config.mss());
            }
            runTimers(now + rtt); // what A sent crosses the path
            check();
            int i = 0;
            for (int[] seg : p.inFlight) {
                if ((pattern >>> (i++ & 7) & 1) == 0) {
                    p.receive(seg[0], seg[1]);
                }
            }
            p.inFlight.clear();
            pattern = (pattern << 1 | pattern >>> 7) & 0xff;
            Options o = new Options();
            if (p.timestamps()) {
                o.timestamps = true;
                o.tsVal = ++p.ts;
                o.tsEcr = p.aTsVal;
            }
            for (int k = p.beyond.size() - 1; k >= 0 && o.sackBlocks < 3; k--) {
                o.sackStart[o.sackBlocks] = p.aIss + p.beyond.get(k)[0];
                o.sackEnd[o.sackBlocks] = p.aIss + p.beyond.get(k)[1];
                o.sackBlocks++;
            }
            send(p, p.next, p.aIss + p.received, TcpHeader.ACK, 65535, o, 0, true);
            check();
        }
    }

    // ------------------------------------------------------------------ the application

    private UserspaceConnection anyApp(boolean closedToo) {
        int k = in.u8();
        int n = app.size() + (closedToo ? closedByApp.size() : 0);
        if (n == 0) {
            return null;
        }
        k %= n;
        return k < app.size() ? app.get(k) : closedByApp.get(k - app.size());
    }

    private void write() {
        UserspaceConnection c = anyApp(true);
        int want = in.u16();
        if (c == null || want == 0) {
            return;
        }
        write(c, want);
    }

    /** The application writes up to {@code want} bytes, as many as are taken at once; a write the connection refuses must fail. */
    private void write(UserspaceConnection c, int want) {
        Tcb t = c.tcb;
        boolean refused = t.error != null || c.closedByApplication && t.state == TcpState.CLOSED || t.finQueued
                || !t.state.sendsData();
        if (refused) {
            try {
                c.output().write(new byte[want], 0, want);
            } catch (IOException expected) {
                return;
            }
            throw new AssertionError("a write in " + t.state + (c.closedByApplication ? " after close" : "") + " was taken");
        }
        // As much as is sure to be taken at once: the connection's room, and whole chunks of the
        // send budget (a write that could not finish would wait for acknowledgments).
        long freeChunks = config.memoryBudget() / 2 / ChunkPool.CHUNK - sendChunksHeld();
        int n = (int) Math.min(want, Math.min(t.writeSpace(), freeChunks * ChunkPool.CHUNK));
        if (n <= 0) {
            return;
        }
        long from = written.getOrDefault(c, 0L);
        for (int i = 0; i < n; i++) {
            scratch[i] = appByte(from + i);
        }
        written.put(c, from + n); // before: the write sends at once, and what it sends is checked
        try {
            c.output().write(scratch, 0, n);
        } catch (IOException e) {
            throw new AssertionError("a write the connection had room for failed", e);
        }
        bytesWritten += n;
    }

    private void read() {
        UserspaceConnection c = anyApp(true);
        int max = 1 + in.u16();
        if (c == null) {
            return;
        }
        Tcb t = c.tcb;
        boolean returns = c.closedByApplication || t.readable() > 0 || t.peerFin || t.state == TcpState.CLOSED;
        if (!returns) {
            return; // it would block until the peer sends
        }
        boolean mayFail = c.closedByApplication || t.error != null;
        int n;
        try {
            n = c.input().read(scratch, 0, max);
        } catch (IOException e) {
            if (!mayFail) {
                throw new AssertionError("a read failed on a connection that neither failed nor was closed", e);
            }
            return;
        }
        long from = readOffset.getOrDefault(c, 0L);
        if (n < 0) {
            if (!t.peerFin && t.state != TcpState.CLOSED || t.readable() > 0) {
                throw new AssertionError("end of stream in " + t.state + " with " + t.readable() + " bytes readable");
            }
            return;
        }
        if (!tainted.contains(c)) {
            int base = c.tcb.irs + 1;
            for (int i = 0; i < n; i++) {
                if (scratch[i] != peerByte(base + (int) (from + i))) {
                    throw new AssertionError("byte " + (from + i) + " of the stream is not the one the peer sent there");
                }
            }
            long sent = peerSent.getOrDefault(c, 0L);
            if (from + n > sent) {
                throw new AssertionError("read up to offset " + (from + n) + ", the peer sent only up to " + sent);
            }
        }
        readOffset.put(c, from + n);
        if (t.receiveBuffer.user() != from + n) {
            throw new AssertionError("the application read " + (from + n) + " bytes, the buffer says " + t.receiveBuffer.user());
        }
        bytesRead += n;
    }

    private void close() {
        UserspaceConnection c = anyApp(false);
        int how = in.u8() % 4;
        if (c == null) {
            return;
        }
        switch (how) {
            case 0 -> c.close();
            case 1 -> c.shutdownOutput();
            case 2 -> c.abort();
            default -> {
                try {
                    c.input().close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        if (how != 1) {
            app.remove(c);
            closedByApp.add(c);
        }
    }

    private void accept() {
        if (queue == null) {
            return;
        }
        TcpConnection c;
        try {
            c = queue.take(Duration.ZERO);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("an open accept queue failed", e);
        }
        if (c != null) {
            UserspaceConnection u = (UserspaceConnection) c;
            if (!u.tcb.state.synchronizedState() && u.tcb.state != TcpState.CLOSED) {
                throw new AssertionError("accepted a connection in " + u.tcb.state);
            }
            app.add(u);
            accepted++;
        }
    }

    private void connect() {
        int port = SERVER_PORTS[in.u8() % SERVER_PORTS.length];
        boolean full = tcp.counts().atConnectionLimit();
        try {
            app.add(tcp.open(B_ADDRESS, port));
        } catch (IOException e) {
            if (!full) {
                throw new AssertionError("connect failed below the connection limit", e);
            }
        }
    }

    private void listen(int backlog) {
        AcceptQueue q = new AcceptQueue(LISTEN_PORT, backlog);
        try {
            listener = tcp.listen(LISTEN_PORT, q);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        queue = q;
    }

    private void toggleListener() {
        int backlog = 1 + in.u8() % 3;
        if (listener == null) {
            listen(backlog);
            return;
        }
        try {
            listener.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        // As the TCP service does: what nobody accepted is aborted.
        for (TcpConnection c : queue.close()) {
            c.abort();
        }
        listener = null;
        queue = null;
    }

    // ------------------------------------------------------------------ time

    /** Runs every timer due up to {@code target}, in order, as the timer thread would; then the clock reads {@code target}. */
    private void runTimers(long target) {
        for (int i = 0; i < MAX_TIMER_RUNS; i++) {
            long next = tick();
            if (next > target) {
                break;
            }
            now = Math.max(now, next);
        }
        now = target;
        tick();
    }

    /** Runs the timers due now; none may be left due (the timer thread would spin). */
    private long tick() {
        long next = tcp.tick(now);
        for (UserspaceConnection c : tcp.snapshot()) {
            if (c.deadline <= now) {
                throw new AssertionError(c + " is due at " + c.deadline + " after its timers ran at " + now
                        + ": the timer thread would spin (" + c.tcb + ")");
            }
        }
        return next;
    }

    // ------------------------------------------------------------------ what A sends

    /** The tunnel as TCP sees it: checks each packet as it leaves, and lets B learn from it. */
    private final class Link implements IpLink {
        final Map<DropReason, Long> counts = new EnumMap<>(DropReason.class);

        @Override
        public boolean send(int source, byte[] p, int length) {
            outgoing(Arrays.copyOf(p, length));
            return true;
        }

        @Override
        public int sourceFor(int destination) throws IOException {
            if (destination == A) {
                throw new IOException("our own address");
            }
            if ((destination & 0xffffff00) != (A & 0xffffff00)) {
                throw new NoRouteToHostException(Bytes.dotted(destination));
            }
            return A;
        }

        @Override
        public void count(DropReason reason) {
            counts.merge(reason, 1L, Long::sum);
        }
    }

    private void outgoing(byte[] p) {
        packetDigest = packetDigest * 31 + Arrays.hashCode(p);
        if (p.length > TcpConfig.TUNNEL_MTU) {
            throw new AssertionError("a packet of " + p.length + " bytes, over the tunnel MTU");
        }
        if (p[0] != 0x45 || Bytes.get16(p, 2) != p.length || Checksum.of(p, 0, Ipv4Header.LENGTH) != 0
                || (p[Ipv4Header.TIME_TO_LIVE] & 0xff) != Ipv4Header.TTL || p[Ipv4Header.PROTOCOL] != Ipv4Header.PROTOCOL_TCP
                || Bytes.get32(p, Ipv4Header.SOURCE) != A || Bytes.get32(p, Ipv4Header.DESTINATION) != B) {
            throw new AssertionError("a malformed IPv4 header: " + Arrays.toString(Arrays.copyOf(p, 20)));
        }
        Segment s = Packets.parse(p);
        if (s.rst()) {
            resetsSent++;
            return;
        }
        Peer peer = peer(s.sourcePort, s.destinationPort);
        if (s.syn()) {
            peer.aNext = s.seq + s.length();
            peer.aSentTimestamps = s.hasTimestamps;
            peer.aIss = s.seq;
            peer.received = 1;
            peer.beyond.clear();
            peer.inFlight.clear();
        } else {
            if (Seq.gt(s.seq + s.length(), peer.aNext)) {
                peer.aNext = s.seq + s.length();
            }
            if (s.length() > 0 && peer.inFlight.size() < 4096) {
                peer.inFlight.add(new int[] {s.seq - peer.aIss, s.seq + s.length() - peer.aIss});
            }
        }
        if (s.hasTimestamps) {
            peer.aTsVal = s.tsVal;
        }
        if (s.dataLength > 0) {
            UserspaceConnection c = connection(peer);
            if (c == null) {
                throw new AssertionError("data sent by no connection of the table: " + s);
            }
            long offset = c.tcb.sendOffset(s.seq);
            long end = offset + s.dataLength;
            if (offset < 0 || end > written.getOrDefault(c, 0L)) {
                throw new AssertionError("sent stream bytes " + offset + "-" + end + ", the application wrote "
                        + written.getOrDefault(c, 0L) + ": " + s);
            }
            for (int i = 0; i < s.dataLength; i++) {
                if (s.data[s.dataOffset + i] != appByte(offset + i)) {
                    throw new AssertionError("sent byte " + (offset + i) + " is not the one the application wrote there");
                }
            }
            dataSegmentsChecked++;
        }
    }

    /** The connection of the table on this four-tuple, or null. */
    private UserspaceConnection connection(Peer p) {
        for (UserspaceConnection c : tcp.snapshot()) {
            if (c.tcb.localPort == p.aPort && c.tcb.remotePort == p.bPort) {
                return c;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ the checks

    private long sendChunksHeld() {
        long n = 0;
        for (UserspaceConnection c : live()) {
            n += c.tcb.sendBuffer.chunks();
        }
        return n;
    }

    /** The connections that can still free their memory: the table's, and those the application holds open. */
    private Set<UserspaceConnection> live() {
        Set<UserspaceConnection> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(Arrays.asList(tcp.snapshot()));
        s.addAll(app);
        return s;
    }

    void check() {
        if (link.counts.getOrDefault(DropReason.INTERNAL_ERROR, 0L) != 0) {
            throw new AssertionError("an internal error was counted");
        }
        UserspaceConnection[] table = tcp.snapshot();
        maxConnections = Math.max(maxConnections, table.length);
        int synchronizedOrOpening = 0;
        int halfOpen = 0;
        int timeWait = 0;
        for (UserspaceConnection c : table) {
            Tcb t = c.tcb;
            switch (t.state) {
                case CLOSED -> throw new AssertionError(c + " is CLOSED but still in the table");
                case TIME_WAIT -> timeWait++;
                case SYN_RECEIVED -> {
                    if (t.passive) {
                        halfOpen++;
                    } else {
                        synchronizedOrOpening++;
                    }
                }
                default -> synchronizedOrOpening++;
            }
            if (t.state == TcpState.ESTABLISHED) {
                everEstablished.add(c);
            }
        }
        timeWaitSeen = Math.max(timeWaitSeen, timeWait);
        ConnectionCounts counts = tcp.counts();
        if (counts.active() != synchronizedOrOpening || counts.halfOpen() != halfOpen || counts.timeWait() != timeWait) {
            throw new AssertionError("counts " + counts.active() + "/" + counts.halfOpen() + "/" + counts.timeWait()
                    + " (active/half-open/TIME-WAIT), the table holds " + synchronizedOrOpening + "/" + halfOpen + "/" + timeWait);
        }
        if (halfOpen > config.maxHalfOpen() || synchronizedOrOpening + halfOpen > config.maxConnections()
                || timeWait > config.maxTimeWait()) {
            throw new AssertionError("over a limit: " + synchronizedOrOpening + " open, " + halfOpen + " half-open, "
                    + timeWait + " in TIME-WAIT");
        }
        long chunks = 0;
        for (UserspaceConnection c : live()) {
            chunks += c.tcb.sendBuffer.chunks() + c.tcb.receiveBuffer.chunks();
            checkConnection(c);
            checkNothingDue(c);
        }
        for (UserspaceConnection c : closedByApp) {
            checkConnection(c);
        }
        long inUse = tcp.bytesInUse();
        if (inUse > config.memoryBudget()) {
            throw new AssertionError(inUse + " bytes of buffers, over the budget of " + config.memoryBudget());
        }
        if (inUse != chunks * ChunkPool.CHUNK) {
            throw new AssertionError("the pools lent " + inUse / ChunkPool.CHUNK + " chunks, the connections that can give them back hold "
                    + chunks + ": memory leaked");
        }
    }

    /**
     * The receive path does not wake the output thread when {@link Tcb#nothingDue} says a poll
     * would send nothing: it must never say so when a poll does send. (The poll changes no more
     * than the skipped one would have: see {@link Tcb#nothingToSend}.)
     */
    private void checkNothingDue(UserspaceConnection c) {
        if (c.tcb.nothingDue()) {
            int n = c.tcb.poll(scratch, now); // written only when the check fails
            if (n != 0) {
                fail(c + " " + c.tcb, "nothingDue() was true, yet a poll sent " + n + " bytes");
            }
        }
    }

    /** A connection's state agrees with its variables. */
    private static void checkConnection(UserspaceConnection c) {
        Tcb t = c.tcb;
        TcpState s = t.state;
        RetransmissionQueue q = t.retransmissions;
        String where = c + " " + t;
        if (s == TcpState.SYN_SENT && t.passive) {
            fail(where, "a passive connection in SYN-SENT");
        }
        if (s == TcpState.CLOSED) {
            if (!q.isEmpty() || t.sendBuffer.size() != 0 || t.nextDeadline() != Tcb.NEVER) {
                fail(where, "CLOSED with data to send or a timer running");
            }
            return;
        }
        if (t.sendBuffer.size() > t.sendBuffer.capacity() || t.readable() > t.receiveBuffer.capacity()) {
            fail(where, "a buffer over its capacity");
        }
        boolean finState = s == TcpState.FIN_WAIT_1 || s == TcpState.FIN_WAIT_2 || s == TcpState.CLOSING
                || s == TcpState.LAST_ACK || s == TcpState.TIME_WAIT;
        if (t.finSent && !finState) {
            fail(where, "our FIN was sent in " + s);
        }
        if (t.finSent && !t.finQueued) {
            fail(where, "a FIN sent that the application did not ask for");
        }
        boolean peerFinState = s == TcpState.CLOSE_WAIT || s == TcpState.LAST_ACK || s == TcpState.CLOSING
                || s == TcpState.TIME_WAIT;
        if (t.peerFin != peerFinState) {
            fail(where, "the peer's FIN " + (t.peerFin ? "reached" : "not reached") + " in " + s);
        }
        if ((s == TcpState.FIN_WAIT_2 || s == TcpState.TIME_WAIT) && !(t.finSent && t.sndUna == t.sndNxt)) {
            fail(where, s + " before our FIN was acknowledged");
        }
        if ((s == TcpState.ESTABLISHED || s == TcpState.CLOSE_WAIT) && t.finQueued) {
            fail(where, s + " with a FIN queued");
        }
        if (s == TcpState.TIME_WAIT) {
            if (!q.isEmpty() || t.sendBuffer.size() != 0 || t.timeWaitAt == Tcb.NEVER) {
                fail(where, "TIME-WAIT with data to send or without its timer");
            }
            return;
        }
        if (!Seq.le(t.sndUna, t.sndNxt)) {
            fail(where, "SND.UNA beyond SND.NXT");
        }
        if (s == TcpState.SYN_SENT || s == TcpState.SYN_RECEIVED) {
            if (t.retransmitAt == Tcb.NEVER) {
                fail(where, s + " without a retransmission timer: the handshake would never finish nor fail");
            }
            return;
        }
        // Synchronized, not TIME-WAIT.
        if (q.isEmpty()) {
            if (t.sndUna != t.sndNxt) {
                fail(where, "nothing in flight, yet SND.UNA is not SND.NXT");
            }
        } else {
            if (q.seq(0) != t.sndUna || q.end(q.count() - 1) != t.sndNxt) {
                fail(where, "the retransmission queue spans " + Seq.unsigned(q.seq(0)) + "-" + Seq.unsigned(q.end(q.count() - 1)));
            }
            int out = q.outstanding();
            if (q.sackedBytes() < 0 || q.lostBytes() < 0 || q.retransmittedBytes() < 0 || q.sackedBytes() > out
                    || q.lostBytes() > out || q.pipe() < 0) {
                fail(where, "queue marks out of range: " + q.sackedBytes() + " SACKed, " + q.lostBytes() + " lost, "
                        + q.retransmittedBytes() + " resent, pipe " + q.pipe() + " of " + out);
            }
            if (t.retransmitAt == Tcb.NEVER) {
                fail(where, "data in flight without a retransmission timer");
            }
        }
        if (q.isEmpty() && (t.unsentData() > 0 || t.finQueued && !t.finSent) && t.nextDeadline() == Tcb.NEVER) {
            fail(where, t.unsentData() + " bytes" + (t.finQueued && !t.finSent ? " and a FIN" : "")
                    + " wait to be sent, nothing is in flight and no timer will send them");
        }
        int rcvNxt = t.rcvNxt();
        int offered = t.rcvAdv - rcvNxt;
        if (offered < -1 || offered > t.receiveBuffer.capacity() + (1 << t.rcvScale)) {
            fail(where, "the window offered is " + offered);
        }
        ReceiveBuffer r = t.receiveBuffer;
        OutOfOrderRanges o = r.outOfOrder();
        long previous = r.next();
        for (int i = 0; i < o.count(); i++) {
            if (o.start(i) <= previous || o.end(i) <= o.start(i) || o.end(i) > r.user() + r.capacity()) {
                fail(where, "out-of-order range " + o.start(i) + "-" + o.end(i) + " after " + previous);
            }
            previous = o.end(i);
        }
    }

    private static void fail(String where, String what) {
        throw new AssertionError(what + ": " + where);
    }

    /** Closes the layer: every connection ends, and only what the application holds keeps memory. */
    void closeLayer() {
        tcp.close();
        if (tcp.snapshot().length != 0) {
            throw new AssertionError("connections left in the table after close: " + tcp.describe());
        }
        ConnectionCounts counts = tcp.counts();
        if (counts.active() != 0 || counts.halfOpen() != 0 || counts.timeWait() != 0) {
            throw new AssertionError("counts left after close");
        }
        long chunks = 0;
        for (UserspaceConnection c : app) {
            chunks += c.tcb.sendBuffer.chunks() + c.tcb.receiveBuffer.chunks();
        }
        if (tcp.bytesInUse() != chunks * ChunkPool.CHUNK) {
            throw new AssertionError("after close the pools lent " + tcp.bytesInUse() / ChunkPool.CHUNK + " chunks, the application holds "
                    + chunks);
        }
    }

    // ------------------------------------------------------------------ seeds

    /** The first byte: BBR, 32 KiB buffers. */
    static final byte[] BBR = ops(0);
    static final byte[] NEW_RENO = ops(1);
    /** B's port 40000 opens with MSS 1380, SACK permitted and timestamps; B acknowledges the SYN-ACK; the application accepts. */
    static final byte[] HANDSHAKE = cat(ops(SYN, 0, 0x0e, 0xff, 0xff, 0, 0, 0x05, 0x64), ops(ACK, 0, 0, 0, 0), ops(ACCEPT));
    /** The same with timestamps only: no SACK. */
    static final byte[] HANDSHAKE_NO_SACK = cat(ops(SYN, 0, 0x0c, 0xff, 0xff, 0, 0, 0x05, 0x64), ops(ACK, 0, 0, 0, 0), ops(ACCEPT));
    /** Ten full segments (1368 bytes each, after timestamps): the initial window. */
    static final int TEN_SEGMENTS = 13680;

    /** One operation sequence for each path; {@code TcpFuzzHarnessTest} checks each reaches it. */
    public static Map<String, byte[]> seeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("handshake", cat(BBR, HANDSHAKE));
        s.put("data-read", cat(BBR, HANDSHAKE, ops(ACK, 0, 0, 100, 2), ops(READ, 0, 0xff, 0xff)));
        s.put("write-acked", cat(BBR, HANDSHAKE, ops(WRITE, 0, 0x0b, 0xb8), ops(ACK, 0, 0, 0, 0)));
        s.put("close-time-wait-ends", cat(BBR, HANDSHAKE, ops(CLOSE, 0, 0), ops(ACK, 0, 0, 0, 1), ops(TIME, 0x0a, 0x00)));
        s.put("passive-close", cat(BBR, HANDSHAKE, ops(ACK, 0, 0, 0, 1), ops(READ, 0, 0, 1), ops(CLOSE, 0, 1),
                ops(ACK, 0, 0, 0, 0)));
        s.put("syn-flood", cat(BBR, ops(SYN, 0, 0, 0xff, 0xff, 0, 0), ops(SYN, 1, 0, 0xff, 0xff, 0, 0),
                ops(SYN, 2, 0, 0xff, 0xff, 0, 0), ops(SYN, 3, 0, 0xff, 0xff, 0, 0), ops(SYN, 4, 0, 0xff, 0xff, 0, 0),
                ops(SYN, 5, 0, 0xff, 0xff, 0, 0)));
        s.put("closed-port", cat(BBR, ops(SYN, 0, 0x10, 0xff, 0xff, 0, 0)));
        // 500 bytes 1000 beyond the next expected byte, then the 1000 before them.
        s.put("out-of-order-then-filled", cat(BBR, HANDSHAKE, ops(SEGMENT, 0, 0x18, 0x03, 0xe8, 0, 0, 0xff, 0xff, 1, 0x01, 0xf4),
                ops(SEGMENT, 0, 0x18, 0xfa, 0x24, 0, 0, 0xff, 0xff, 1, 0x03, 0xe8), ops(READ, 0, 0xff, 0xff)));
        s.put("rst-exact", cat(BBR, HANDSHAKE, ops(SEGMENT, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0), ops(READ, 0, 0, 1)));
        s.put("rst-in-window", cat(BBR, HANDSHAKE, ops(SEGMENT, 0, 0x04, 0, 10, 0, 0, 0, 0, 0, 0, 0)));
        // A connects to B's port 80 (the seventh four-tuple B knows); B answers SYN-ACK with MSS,
        // timestamps and SACK permitted; the application writes 1000 bytes; B acknowledges them.
        s.put("active-open", cat(BBR, ops(CONNECT, 0), ops(SEGMENT, 6, 0x12, 0, 0, 0, 0, 0xff, 0xff, 0x15, 0x05, 0x64, 0, 0),
                ops(WRITE, 0, 0x03, 0xe8), ops(ACK, 6, 0, 0, 0)));
        s.put("zero-window-probe", cat(BBR, HANDSHAKE, ops(SEGMENT, 0, 0x10, 0, 0, 0, 0, 0, 0, 1, 0, 0),
                ops(WRITE, 0, 0x03, 0xe8), ops(TIME, 0x01, 0x00)));
        s.put("retransmission-timeout", cat(BBR, HANDSHAKE, ops(WRITE, 0, 0x13, 0x88), ops(TIME, 0x02, 0x00)));
        // Ten segments out; B acknowledges the first and SACKs the third to the tenth.
        s.put("sack-recovery", cat(BBR, HANDSHAKE, ops(WRITE, 0, TEN_SEGMENTS >> 8, TEN_SEGMENTS),
                ops(SEGMENT, 0, 0x10, 0, 0, 0xcf, 0xe8, 0xff, 0xff, 3, 0, 0x05, 0x58, 0x2a, 0xc0, 0, 0)));
        // Ten segments out; B acknowledges the first, then sends three duplicate ACKs.
        byte[] dupAck = ops(SEGMENT, 0, 0x10, 0, 0, 0xcf, 0xe8, 0xff, 0xff, 1, 0, 0);
        s.put("newreno-fast-retransmit", cat(NEW_RENO, HANDSHAKE_NO_SACK, ops(WRITE, 0, TEN_SEGMENTS >> 8, TEN_SEGMENTS),
                dupAck, dupAck, dupAck, dupAck));
        s.put("listener-closed", cat(BBR, ops(LISTEN, 0), ops(SYN, 0, 0, 0xff, 0xff, 0, 0)));
        s.put("raw-segment", cat(BBR, HANDSHAKE, ops(RAW, 0, 20, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff,
                0, 0, 0, 0)));
        s.put("abort", cat(BBR, HANDSHAKE, ops(WRITE, 0, 0x03, 0xe8), ops(CLOSE, 0, 2)));
        // 24 rounds of 20 ms, three segments written a round, every eighth segment lost; then
        // eight clean rounds in which the rest is repaired and acknowledged.
        byte[] lossy = cat(ops(ROUNDS, 0, 23, 19, 0x01, 3), ops(ROUNDS, 0, 7, 19, 0, 0));
        s.put("rounds-lossy-bbr", cat(BBR, HANDSHAKE, lossy));
        s.put("rounds-lossy-newreno", cat(NEW_RENO, HANDSHAKE_NO_SACK, lossy));
        // The two findings, written small. B acknowledges everything with a window of 68 bytes,
        // too small for sender SWS avoidance, then the application writes: a timer must be armed.
        s.put("finding-small-window-no-timer", cat(BBR, HANDSHAKE, ops(SEGMENT, 0, 0x10, 0, 0, 0, 0, 0, 68, 1, 0, 0),
                ops(WRITE, 0, 0x13, 0x88)));
        // B sends 64 bytes and FIN; the application half-closes, B acknowledges our FIN (a graceful
        // end, the 64 bytes unread), and the application aborts: their memory must come back.
        s.put("finding-abort-after-graceful-end-leaks", cat(BBR, HANDSHAKE, ops(ACK, 0, 0, 8, 1), ops(CLOSE, 0, 1),
                ops(ACK, 0, 0, 0, 0), ops(CLOSE, 0, 2)));
        return s;
    }

    // ------------------------------------------------------------------ for the harness's own test

    int established() {
        return everEstablished.size();
    }

    long dropped(DropReason r) {
        return drops.getOrDefault(r, 0L) + link.counts.getOrDefault(r, 0L);
    }

    /** The {@code i}th connection the application holds (accepted or connected, not closed). */
    UserspaceConnection application(int i) {
        return app.get(i);
    }

    int applicationConnections() {
        return app.size();
    }

    boolean tainted(UserspaceConnection c) {
        return tainted.contains(c);
    }
}
