package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.UDP;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.testsupport.Await;

/** The end of a burst: the receive loop tells the sink when no datagram is waiting. */
class SinkFlushTest extends RuntimeTestSupport {

    /** Records "deliver" and "flush" in order, with the thread of each. */
    private static final class Recording implements PacketSink {
        final List<String> events = new ArrayList<>();
        volatile boolean failFlush;

        @Override
        public synchronized void deliver(byte[] packet, int offset, int length) {
            events.add("deliver " + Thread.currentThread().getName());
        }

        @Override
        public void flush() {
            synchronized (this) {
                events.add("flush " + Thread.currentThread().getName());
            }
            if (failFlush) {
                throw new IllegalStateException("a failing sink");
            }
        }

        synchronized List<String> events() {
            return new ArrayList<>(events);
        }

        synchronized long count(String what) {
            return events.stream().filter(e -> e.startsWith(what)).count();
        }
    }

    private TunnelRuntime a;
    private TunnelRuntime b;
    private final Recording sink = new Recording();
    private final byte[] packet = ipv4("10.214.0.1", "10.214.0.2").raw(UDP, new byte[100]).build();

    private void openPair() throws Exception {
        SecretKey ka = keys.generatePrivateKey();
        SecretKey kb = keys.generatePrivateKey();
        b = open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(keys.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), sink, HostResolver.SYSTEM, realResolverThread("wgb"), RuntimeHooks.NONE);
        a = open(new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(keys.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0))),
                (x, y, z) -> { }, HostResolver.SYSTEM, realResolverThread("wga"), RuntimeHooks.NONE);
        Await.until("a's endpoint", DEADLINE, () -> a.status().peers().get(0).endpoint() != null);
    }

    @Test
    void aBurstOfPacketsIsFollowedByAFlushOnTheReceiveThread() throws Exception {
        openPair();
        assertTrue(a.send(packet, 0, packet.length));
        Await.until("the first packet delivered and flushed", DEADLINE, () -> sink.count("flush") >= 1, () -> String.valueOf(sink.events()));
        for (int i = 0; i < 50; i++) {
            assertTrue(a.send(packet, 0, packet.length));
        }
        Await.until("51 packets delivered, the last followed by a flush", DEADLINE,
                () -> sink.count("deliver") == 51 && sink.events().get(sink.events().size() - 1).startsWith("flush"), () -> String.valueOf(sink.events()));

        List<String> events = sink.events();
        assertEquals("deliver wg-receive-wgb", events.get(0));
        assertTrue(events.stream().allMatch(e -> e.endsWith(" wg-receive-wgb")), "all on the receive thread: " + events);
        for (int i = 1; i < events.size(); i++) {
            assertTrue(!(events.get(i).startsWith("flush") && events.get(i - 1).startsWith("flush")),
                    "a flush only after a delivery: " + events);
        }
    }

    @Test
    void datagramsThatDeliverNothingBringNoFlush() throws Exception {
        openPair();
        sendJunk(b.status().listenPort());
        Await.until("the junk datagram dropped", DEADLINE, () -> totalDrops(b) == 1);
        assertTrue(a.send(packet, 0, packet.length));
        Await.until("a packet delivered and flushed", DEADLINE, () -> sink.count("flush") >= 1, () -> String.valueOf(sink.events()));
        assertEquals(List.of("deliver wg-receive-wgb", "flush wg-receive-wgb"), sink.events(), "no flush for the junk before");
    }

    @Test
    void aSinkWhoseFlushFailsStillGetsTheNextPackets() throws Exception {
        openPair();
        sink.failFlush = true;
        assertTrue(a.send(packet, 0, packet.length));
        Await.until("the first flush (which throws)", DEADLINE, () -> sink.count("flush") >= 1, () -> String.valueOf(sink.events()));
        assertTrue(a.send(packet, 0, packet.length));
        Await.until("the second packet delivered and flushed", DEADLINE, () -> sink.count("flush") >= 2, () -> String.valueOf(sink.events()));
        assertTrue(b.status().running());
    }
}
