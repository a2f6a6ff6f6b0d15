package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.testsupport.packet.PacketBuilder.UDP;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.testsupport.Await;

/**
 * {@code Tunnel.sendMore}: a burst's datagrams leave together, in one system call, and arrive at
 * the peer as the packets sent, in order; whatever else the tunnel sends passes the held ones on
 * first.
 */
class SendBurstTest extends RuntimeTestSupport {

    /** Records the number carried in the last byte of each delivered packet. */
    private static final class Numbers implements PacketSink {
        private final List<Integer> numbers = new ArrayList<>();

        @Override
        public synchronized void deliver(byte[] packet, int offset, int length) {
            numbers.add(packet[offset + length - 1] & 0xff);
        }

        synchronized List<Integer> numbers() {
            return new ArrayList<>(numbers);
        }
    }

    private TunnelRuntime a;
    private final Numbers atB = new Numbers();

    private void openPair() throws Exception {
        SecretKey ka = keys.generatePrivateKey();
        SecretKey kb = keys.generatePrivateKey();
        TunnelRuntime b = open(new TunnelConfig("wgb", kb, 0, List.of(new PeerConfig(keys.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.215.0.1/32")), 0))), atB, HostResolver.SYSTEM, realResolverThread("wgb"), RuntimeHooks.NONE);
        a = open(new TunnelConfig("wga", ka, 0, List.of(new PeerConfig(keys.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.215.0.0/24")), 0))),
                (x, y, z) -> { }, HostResolver.SYSTEM, realResolverThread("wga"), RuntimeHooks.NONE);
        Await.until("a's endpoint", DEADLINE, () -> a.status().peers().get(0).endpoint() != null);
        assertTrue(a.send(packet(0), 0, packet(0).length));
        Await.until("the handshake done and packet 0 delivered", DEADLINE, () -> atB.numbers().equals(List.of(0)), () -> String.valueOf(atB.numbers()));
    }

    /** An inner packet of 1400 bytes whose last byte is {@code n}. */
    private static byte[] packet(int n) {
        byte[] payload = new byte[1400 - 28];
        payload[payload.length - 1] = (byte) n;
        return ipv4("10.215.0.1", "10.215.0.2").raw(UDP, payload).build();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void aBurstEndedByFlushArrivesWholeAndInOrderAndLeftInOneCall() throws Exception {
        openPair();
        long[] before = a.batchesAndDatagrams();
        for (int i = 1; i <= 40; i++) {
            byte[] p = packet(i);
            assertTrue(a.sendMore(p, 0, p.length));
        }
        a.flush();

        Await.until("packets 0-40 delivered in order", DEADLINE, () -> atB.numbers().size() >= 41, () -> String.valueOf(atB.numbers()));
        assertEquals(range(0, 41), atB.numbers());
        long[] after = a.batchesAndDatagrams();
        assertEquals(1, after[0] - before[0], "the 40 datagrams left in one system call");
        assertEquals(40, after[1] - before[1]);
    }

    @Test
    void aPlainSendPassesTheHeldBurstOnFirst() throws Exception {
        openPair();
        for (int i = 1; i <= 5; i++) {
            byte[] p = packet(i);
            assertTrue(a.sendMore(p, 0, p.length));
        }
        byte[] last = packet(6);
        assertTrue(a.send(last, 0, last.length));

        Await.until("packets 0-6 delivered without a flush", DEADLINE, () -> atB.numbers().size() >= 7, () -> String.valueOf(atB.numbers()));
        assertEquals(range(0, 7), atB.numbers());
    }
}
