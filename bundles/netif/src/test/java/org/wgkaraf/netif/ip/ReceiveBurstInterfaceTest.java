package org.wgkaraf.netif.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ACK;
import static org.wgkaraf.testsupport.packet.PacketBuilder.SYN;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u32;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.netif.spi.AcceptQueue;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.netif.tcp.TestTcp;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * An interface holds TCP's answers to the end of a receive burst only once its input thread has
 * shown that it flushes, and only for what that thread inputs: before the first {@code flush}, for
 * a caller that never flushes and for other threads, every answer goes at once.
 */
class ReceiveBurstInterfaceTest {
    private long now = 1_000_000_000L;
    private final Ipv4Layer layer = new Ipv4Layer(() -> now, link -> TestTcp.withoutThreads(link, () -> now, 42));
    private final RecordingTunnel tunnel = new RecordingTunnel();
    private final VirtualBackend.Attachment wg = TunnelInterfaces.attachUp(layer, 3, "10.214.0.2", "255.255.255.0", tunnel);
    private volatile long peerSeq = 5000;
    private long ourSeq;

    @AfterEach
    void close() {
        wg.close();
    }

    private void in(long seq, long ack, int flags, int dataLength) {
        byte[] p = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").tcp(40000, 22, seq, ack, flags, new byte[dataLength]).build();
        wg.input(p, 0, p.length);
    }

    private void data(int segments) {
        for (int i = 0; i < segments; i++) {
            in(peerSeq, ourSeq, ACK, 500);
            peerSeq += 500;
        }
    }

    private long lastAck() {
        java.util.List<byte[]> sent = tunnel.sent();
        return u32(sent.get(sent.size() - 1), 28);
    }

    @Test
    void answersWaitForTheBurstsEndOnlyOnceTheInterfaceHasBeenFlushed() throws Exception {
        AcceptQueue queue = new AcceptQueue(22, 4);
        try (AutoCloseable l = layer.listen(22, queue)) {
            in(peerSeq++, 0, SYN, 0);
            ourSeq = u32(tunnel.only(), 24) + 1;
            in(peerSeq, ourSeq, ACK, 0);
            assertEquals(true, queue.take(Duration.ZERO) != null, "accepted");
            tunnel.clear();

            data(4);
            assertEquals(true, tunnel.sent().size() >= 2, "never flushed: ACKs go at once");
            assertEquals(peerSeq, lastAck());

            wg.flush(); // the input thread flushes: from now on answers wait for it
            tunnel.clear();
            data(6);
            assertEquals(0, tunnel.sent().size(), "held to the burst's end");
            wg.flush();
            assertEquals(1, tunnel.sent().size(), "one ACK for the burst");
            assertEquals(peerSeq, lastAck());

            tunnel.clear();
            Thread other = new Thread(() -> data(4), "not the flushing thread");
            other.start();
            other.join(10_000);
            assertEquals(true, tunnel.sent().size() >= 2, "another thread's packets are answered at once");
            assertEquals(peerSeq, lastAck());
        }
    }
}
