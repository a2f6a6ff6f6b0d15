package org.wgkaraf.netif.tcp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Predicate;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.DropReason;

/**
 * Two connection cores joined by a simulated path with delay, loss and reordering, in simulated
 * time: A opens actively, B is created when A's SYN reaches it, as a listener would. Each step
 * moves packets and runs timers; applications act between steps through {@link #onStep}.
 */
final class Simulation {
    static final long MS = 1_000_000L;

    private record InFlight(long at, long order, boolean toB, byte[] packet) {
    }

    final TcpConfig configA;
    final TcpConfig configB;
    final ChunkPool pool = new ChunkPool(256L << 20);
    final Random random;
    long now = 1_000 * MS;
    Tcb a;
    Tcb b;
    /** One-way delay of the path. */
    long delay = 5 * MS;
    /** Extra random delay up to this (reordering), for the share {@link #reorderShare} of packets. */
    long jitter;
    double reorderShare = 1;
    double loss;
    /**
     * A bottleneck on the way from A to B (bytes per second, 0 for none) with a drop-tail buffer
     * of {@link #bottleneckBuffer} bytes: what arrives while the buffer is full is lost, as at a
     * slow link or a busy relay's socket buffer.
     */
    long bottleneckRate;
    int bottleneckBuffer = 200 * 1024;
    long overflowed;
    private long bottleneckFreeAt;
    /** How fast A can put packets on the path at all (bytes per second, 0 for no limit): its CPU, say; never drops. */
    long senderRate;
    private long senderFreeAt;
    /** Drops what it matches, before random loss. */
    Predicate<Segment> dropToB = s -> false;
    Predicate<Segment> dropToA = s -> false;
    Runnable onStep = () -> { };
    final List<Segment> toB = new ArrayList<>();
    final List<Segment> toA = new ArrayList<>();
    final List<DropReason> dropsAtA = new ArrayList<>();
    final List<DropReason> dropsAtB = new ArrayList<>();
    long packetsLost;
    private final PriorityQueue<InFlight> path = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long order;
    private final byte[] buf = new byte[70000];
    private final IsnGenerator isn = new IsnGenerator(new SecureRandom());

    Simulation(TcpConfig configA, TcpConfig configB, long seed) {
        this.configA = configA;
        this.configB = configB;
        this.random = new Random(seed);
    }

    Simulation(long seed) {
        this(TcpConfig.DEFAULTS, TcpConfig.DEFAULTS, seed);
    }

    /** A's connect; B appears when the SYN arrives. */
    Simulation open() {
        a = new Tcb(configA, pool, pool, Packets.A, 40000, Packets.B, 22, false, isn.isn(Packets.A, 40000, Packets.B, 22, now), 1000);
        a.connect(now);
        return this;
    }

    /** Runs until {@code done} holds or {@code maxMillis} of simulated time pass; returns whether done. */
    boolean runUntil(java.util.function.BooleanSupplier done, long maxMillis) {
        long end = now + maxMillis * MS;
        while (now <= end) {
            onStep.run();
            emit(a, true);
            if (b != null) {
                emit(b, false);
            }
            if (done.getAsBoolean()) {
                return true;
            }
            long next = Long.MAX_VALUE;
            if (!path.isEmpty()) {
                next = path.peek().at;
            }
            next = Math.min(next, a.nextDeadline());
            if (b != null) {
                next = Math.min(next, b.nextDeadline());
            }
            if (next == Long.MAX_VALUE) {
                // Nothing moves by itself; applications may still act (e.g. a reader draining).
                now += MS;
                continue;
            }
            now = Math.max(now, Math.min(next, end + 1));
            if (now > end) {
                break;
            }
            while (!path.isEmpty() && path.peek().at <= now) {
                InFlight f = path.poll();
                deliver(f);
                // Each packet is answered before the next is taken, as a real receiver does:
                // no ACK compression from packets that happen to arrive in the same instant.
                emit(a, true);
                if (b != null) {
                    emit(b, false);
                }
            }
            if (a.nextDeadline() <= now) {
                a.timer(now);
            }
            if (b != null && b.nextDeadline() <= now) {
                b.timer(now);
            }
        }
        return done.getAsBoolean();
    }

    void run(long millis) {
        runUntil(() -> false, millis);
    }

    private void emit(Tcb from, boolean toB) {
        int n;
        while ((n = from.poll(buf, now)) > 0) {
            byte[] p = Arrays.copyOf(buf, n);
            Segment s = Packets.parse(p);
            (toB ? this.toB : this.toA).add(s);
            if ((toB ? dropToB : dropToA).test(s) || loss > 0 && random.nextDouble() < loss) {
                packetsLost++;
                continue;
            }
            long departs = now;
            if (toB && senderRate > 0) {
                senderFreeAt = Math.max(senderFreeAt, now) + p.length * 1_000_000_000L / senderRate;
                departs = senderFreeAt;
            }
            if (toB && bottleneckRate > 0) {
                long backlog = Math.max(0, bottleneckFreeAt - departs) * bottleneckRate / 1_000_000_000L;
                if (backlog + p.length > bottleneckBuffer) {
                    overflowed++;
                    packetsLost++;
                    continue;
                }
                bottleneckFreeAt = Math.max(bottleneckFreeAt, departs) + p.length * 1_000_000_000L / bottleneckRate;
                departs = bottleneckFreeAt;
            }
            long extra = jitter > 0 && random.nextDouble() < reorderShare ? (long) (random.nextDouble() * jitter) : 0;
            path.add(new InFlight(departs + delay + extra, order++, toB, p));
        }
    }

    private void deliver(InFlight f) {
        Segment s = new Segment();
        byte[] p = f.packet;
        DropReason r = SegmentParser.parse(Bytes.get32(p, 12), Bytes.get32(p, 16), p, 20, p.length - 20, s);
        if (r != null) {
            throw new AssertionError("a packet on the path does not parse: " + r);
        }
        if (f.toB) {
            if (b == null) {
                if (s.syn() && !s.hasAck()) {
                    b = new Tcb(configB, pool, pool, Packets.B, 22, Packets.A, 40000, true, isn.isn(Packets.B, 22, Packets.A, 40000, now), 5000);
                    b.acceptSyn(s, now);
                }
                return;
            }
            r = b.segment(s, now);
            if (r != null) {
                dropsAtB.add(r);
            }
        } else {
            r = a.segment(s, now);
            if (r != null) {
                dropsAtA.add(r);
            }
        }
    }

    boolean established() {
        return a.state == TcpState.ESTABLISHED && b != null && b.state == TcpState.ESTABLISHED;
    }

    /** Writes and reads a stream from one side to the other as fast as the cores allow, checking every byte. */
    static final class Transfer implements Runnable {
        private final Tcb from;
        private final java.util.function.Supplier<Tcb> to;
        private final long total;
        private final Random data;
        private final Random check;
        private final byte[] chunk = new byte[65536];
        private final byte[] want = new byte[65536];
        private final byte[] got = new byte[65536];
        private int chunkLen;
        private int chunkPos;
        long written;
        long read;
        boolean eof;
        boolean closeWhenDone = true;
        int readLimitPerStep = Integer.MAX_VALUE;
        long mismatchAt = -1;

        Transfer(Tcb from, java.util.function.Supplier<Tcb> to, long total, long seed) {
            this.from = from;
            this.to = to;
            this.total = total;
            this.data = new Random(seed);
            this.check = new Random(seed);
        }

        @Override
        public void run() {
            while (written < total) {
                if (chunkPos == chunkLen) {
                    chunkLen = (int) Math.min(chunk.length, total - written);
                    data.nextBytes(chunk);
                    chunkPos = 0;
                }
                int n = from.write(chunk, chunkPos, chunkLen - chunkPos);
                if (n <= 0) {
                    break;
                }
                chunkPos += n;
                written += n;
            }
            if (written == total && closeWhenDone && !from.finQueued) {
                from.shutdownOutput(0);
            }
            Tcb receiver = to.get();
            if (receiver == null) {
                return;
            }
            int budget = readLimitPerStep;
            while (budget > 0 && !eof) {
                int n = receiver.read(got, 0, Math.min(got.length, budget), 0);
                if (n < 0) {
                    eof = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
                budget -= n;
                checkBytes(n);
                read += n;
            }
        }

        private void checkBytes(int n) {
            // The check stream mirrors the data stream chunk by chunk.
            int off = 0;
            while (off < n) {
                if (checkPos == checkLen) {
                    checkLen = (int) Math.min(want.length, total - checked);
                    check.nextBytes(want);
                    checkPos = 0;
                }
                int k = Math.min(n - off, checkLen - checkPos);
                int at = Arrays.mismatch(got, off, off + k, want, checkPos, checkPos + k);
                if (at >= 0 && mismatchAt < 0) {
                    mismatchAt = read + off + at;
                }
                off += k;
                checkPos += k;
                checked += k;
            }
        }

        private int checkLen;
        private int checkPos;
        private long checked;

        boolean complete() {
            return eof && read == total;
        }
    }
}
