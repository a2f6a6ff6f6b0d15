package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * The locking rule: no TCP lock is held while a packet goes down to the tunnel. While the tunnel
 * takes a packet, another thread must be able to do anything with the same connection; if the
 * sending thread still held the connection's lock, it would block, and so would a real engine that
 * calls back into TCP on its receive thread.
 */
class LockingRuleTest {
    private final RecordingLink link = new RecordingLink();
    private final UserspaceTcp tcp = new UserspaceTcp(link, System::nanoTime, TcpConfig.DEFAULTS, false, new SecureRandom());
    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private final byte[] buf = new byte[2000];

    @AfterEach
    void close() {
        link.onSend = () -> { };
        link.onFlush = () -> { };
        other.shutdownNow();
        tcp.close();
    }

    private DropReason in(int seq, int ack, int flags, int dataLength) {
        SegmentWriter.header(buf, 40000, 22, seq, ack, flags, 65535);
        int n = SegmentWriter.finish(buf, SegmentWriter.OPTIONS, dataLength, Packets.B, Packets.A, 1);
        return tcp.input(Packets.B, Packets.A, Arrays.copyOf(buf, n), 20, n - 20, false);
    }

    /** The peer's SYN and ACK of its SYN-ACK (sequence 1000): the connection the listener accepted. */
    private TcpConnection established(AcceptQueue queue) throws java.io.IOException, InterruptedException {
        in(1000, 0, TcpHeader.SYN, 0);
        in(1001, link.last().seq + 1, TcpHeader.ACK, 0);
        return queue.take(Duration.ZERO);
    }

    /** While each packet is being sent, another thread uses {@code use}; counts the uses that completed in time. */
    private AtomicInteger whileSending(Runnable use) {
        AtomicInteger done = new AtomicInteger();
        link.onSend = () -> {
            try {
                CompletableFuture.runAsync(use, other).get(2, TimeUnit.SECONDS);
                done.incrementAndGet();
            } catch (Exception e) {
                throw new AssertionError("another thread could not use the connection while a packet was sent: "
                        + "a TCP lock is held across the call into the tunnel", e);
            }
        };
        return done;
    }

    @Test
    void theReceiveThreadHoldsNoLockWhileItsAnswersGoOut() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            AtomicInteger uses = whileSending(() -> tcp.status(new EnumMap<>(DropReason.class))); // locks every connection
            in(1000, 0, TcpHeader.SYN, 0); // the SYN-ACK goes out from this thread
            assertEquals(1, uses.get());
            Segment synAck = link.last();
            in(1001, synAck.seq + 1, TcpHeader.ACK, 0);
            TcpConnection c = queue.take(Duration.ZERO);
            assertNotNull(c);
            uses = whileSending(() -> {
                try {
                    c.input().available(); // takes the connection's lock
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 20; i++) {
                in(1001 + 100 * i, synAck.seq + 1, TcpHeader.ACK | TcpHeader.PSH, 100); // ACKs go out
            }
            assertTrue(uses.get() > 0, "ACKs were sent and the connection was usable meanwhile");
        }
    }

    @Test
    void anApplicationThreadHoldsNoLockWhileItsDataGoesOut() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            TcpConnection c = established(queue);
            int[] ackTo = {0};
            AtomicInteger uses = whileSending(() -> {
                // The peer ACKs from "its receive thread" while our application thread is sending.
                Segment last = link.last();
                ackTo[0] = last.seq + last.dataLength;
                in(1001, ackTo[0], TcpHeader.ACK, 0);
            });
            c.output().write(new byte[100_000]);
            assertTrue(uses.get() >= 10, "every data segment was sent without a lock: " + uses.get());
        }
    }

    /**
     * The packets one pump sends are a burst the tunnel may send together: each goes as one of a
     * burst, and a flush ends it, sent without a lock too.
     */
    @Test
    void aPumpsPacketsGoAsABurstThatAFlushWithoutALockEnds() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = tcp.listen(22, queue)) {
            TcpConnection c = established(queue);
            link.clear();
            AtomicInteger flushes = new AtomicInteger();
            link.onFlush = () -> {
                try {
                    CompletableFuture.runAsync(() -> tcp.status(new EnumMap<>(DropReason.class)), other).get(2, TimeUnit.SECONDS);
                    flushes.incrementAndGet();
                } catch (Exception e) {
                    throw new AssertionError("a TCP lock is held across the flush into the tunnel", e);
                }
            };
            c.output().write(new byte[20_000]); // 15 segments of 1380 bytes, in the peer's window

            java.util.List<String> events = link.events();
            assertTrue(events.size() >= 2, String.valueOf(events));
            assertEquals("flush", events.get(events.size() - 1), "the burst ends with a flush: " + events);
            long more = events.stream().filter("more"::equals).count();
            assertEquals(link.segments().size(), more, "every packet went as one of a burst: " + events);
            assertTrue(more >= 10, "one pump sent many packets: " + events);
            assertTrue(flushes.get() >= 1 && flushes.get() <= more, "flushed once per pump, without a lock: " + flushes);
        }
    }
}
