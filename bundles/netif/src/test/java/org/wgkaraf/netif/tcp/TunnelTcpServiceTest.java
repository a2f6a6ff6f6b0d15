package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.netif.spi.AcceptQueue;
import org.wgkaraf.netif.spi.TcpBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** The one TcpService over every backend: listeners on all, connects to the one that routes, status summed. */
class TunnelTcpServiceTest {

    /** A backend that records what it is asked and routes one prefix. */
    private static final class FakeBackend implements TcpBackend {
        final int prefix;
        final List<AcceptQueue> queues = new ArrayList<>();
        final List<Integer> closed = new ArrayList<>();
        int connects;
        TcpStatus status = TcpStatus.EMPTY;

        FakeBackend(int prefix) {
            this.prefix = prefix;
        }

        @Override
        public AutoCloseable listen(int port, AcceptQueue queue) throws IOException {
            if (port == 666) {
                throw new IOException("port 666 is taken on this backend");
            }
            queues.add(queue);
            return () -> closed.add(port);
        }

        @Override
        public int routePrefix(Inet4Address address) {
            return prefix;
        }

        @Override
        public TcpConnection connect(Inet4Address address, int port, Duration timeout) {
            connects++;
            return null;
        }

        @Override
        public TcpStatus status() {
            return status;
        }
    }

    private static final Inet4Address HOST = PacketBuilder.ipv4("10.214.0.1");

    @Test
    void aListenerListensOnEveryBackendIncludingOnesThatComeLater() throws Exception {
        FakeBackend userspace = new FakeBackend(24);
        TunnelTcpService service = new TunnelTcpService(List.of(userspace));
        TcpListener l = service.listen(22, 4);
        FakeBackend tun = new FakeBackend(-1);
        service.addBackend(tun);
        assertEquals(1, userspace.queues.size());
        assertEquals(1, tun.queues.size(), "the backend that came later listens too");
        assertSame(userspace.queues.get(0), tun.queues.get(0), "into one accept queue");
        l.close();
        assertEquals(List.of(22), userspace.closed);
        assertEquals(List.of(22), tun.closed);
    }

    @Test
    void aPortTakenOnOneBackendFailsTheListenAndLeavesNothingBehind() {
        FakeBackend a = new FakeBackend(24);
        TunnelTcpService service = new TunnelTcpService(List.of(a, new FakeBackend(-1)));
        IOException e = assertThrows(IOException.class, () -> service.listen(666, 4));
        assertTrue(e.getMessage().contains("taken"));
    }

    @Test
    void listeningTwiceOnAPortIsRefused() throws Exception {
        TunnelTcpService service = new TunnelTcpService(List.of(new FakeBackend(24)));
        service.listen(22, 4);
        assertThrows(IOException.class, () -> service.listen(22, 4));
    }

    @Test
    void badArgumentsAreRefusedWithAMessage() {
        TunnelTcpService service = new TunnelTcpService(List.of());
        assertThrows(IllegalArgumentException.class, () -> service.listen(0, 4));
        assertThrows(IllegalArgumentException.class, () -> service.listen(22, 0));
        assertThrows(IllegalArgumentException.class, () -> service.connect(HOST, 70000, Duration.ofSeconds(1)));
    }

    @Test
    void connectGoesToTheBackendWhoseInterfaceRoutesTheAddressWithTheLongestPrefix() throws Exception {
        FakeBackend wide = new FakeBackend(16);
        FakeBackend narrow = new FakeBackend(24);
        new TunnelTcpService(List.of(wide, narrow)).connect(HOST, 22, Duration.ofSeconds(1));
        assertEquals(0, wide.connects);
        assertEquals(1, narrow.connects);
    }

    @Test
    void connectWithoutATunnelCoveringTheAddressSaysSo() {
        NoRouteToHostException e = assertThrows(NoRouteToHostException.class,
                () -> new TunnelTcpService(List.of(new FakeBackend(-1))).connect(HOST, 22, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("10.214.0.1"), e.getMessage());
    }

    @Test
    void statusAddsUpTheBackends() {
        FakeBackend a = new FakeBackend(24);
        FakeBackend b = new FakeBackend(-1);
        a.status = new TcpStatus(Map.of("ESTABLISHED", 2), List.of(22), Map.of("TCP_NO_LISTENER", 3L), 100);
        b.status = new TcpStatus(Map.of("ESTABLISHED", 1, "TIME_WAIT", 1), List.of(22, 8101), Map.of(), 0);
        TcpStatus s = new TunnelTcpService(List.of(a, b)).status();
        assertEquals(Map.of("ESTABLISHED", 3, "TIME_WAIT", 1), s.connections());
        assertEquals(List.of(22, 8101), s.listening());
        assertEquals(Map.of("TCP_NO_LISTENER", 3L), s.drops());
        assertEquals(4, s.openConnections());
    }
}
