package org.wgkaraf.netif.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wgkaraf.testsupport.packet.PacketBuilder.ipv4;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.PingResult;
import org.wgkaraf.api.netif.PingService.Options;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.ip.Ipv4Layer;
import org.wgkaraf.netif.ip.TunnelInterfaces;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.Await;

class PingServiceImplTest {
    private static final HostPing NO_HOST_PING = (a, size, timeout) -> fail("pinged " + a + " through the host");
    private static final HostResolver NO_DNS = host -> fail("looked " + host + " up");
    private final Ipv4Layer layer = new Ipv4Layer();
    private final List<EchoingTunnel> tunnels = new ArrayList<>();

    @AfterEach
    void stopPeers() {
        tunnels.forEach(EchoingTunnel::close);
    }

    /** wg3, 10.214.0.2/24, with a peer at 10.214.0.1 that answers after {@code delayMillis}. */
    private EchoingTunnel tunnel(long delayMillis, Set<Integer> dropped, boolean linkUp) {
        EchoingTunnel t = new EchoingTunnel(delayMillis, dropped);
        tunnels.add(t);
        VirtualBackend.Attachment a = layer.attach(TunnelInterfaces.info(3, "10.214.0.2", "255.255.255.0"), t);
        t.connect(a);
        a.setLinkUp(linkUp);
        return t;
    }

    private static Options options(int count, long intervalMillis, long timeoutMillis, int dataSize) {
        return new Options(count, Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis), dataSize);
    }

    @Test
    void throughTheTunnelRepliesAndTimeoutsAreReportedInOrderWithTheirFigures() throws Exception {
        EchoingTunnel tunnel = tunnel(20, Set.of(1), true);
        PingServiceImpl service = new PingServiceImpl(layer, NO_HOST_PING, NO_DNS);
        RecordingListener listener = new RecordingListener();

        PingResult r = service.ping("10.214.0.1", options(4, 10, 1000, 64), listener);

        assertEquals(List.of("started 10.214.0.1 10.214.0.1 64", "reply 0 64 ttl=61", "timeout 1",
                "reply 2 64 ttl=61", "reply 3 64 ttl=61"), listener.events);
        assertTrue(listener.threads.stream().allMatch(t -> t == Thread.currentThread()), "on the caller's thread");
        assertEquals(List.of(0, 1, 2, 3), tunnel.requests());
        assertEquals(ipv4("10.214.0.1"), r.address());
        assertEquals(4, r.transmitted());
        assertEquals(3, r.received());
        assertEquals(25, r.lossPercent());
        assertEquals(listener.rtts, r.rttMillis());
        for (double rtt : r.rttMillis()) {
            assertTrue(rtt >= 20, "a reply cannot beat the peer's delay: " + rtt);
        }
        double sum = r.rttMillis().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(Math.round(sum + 1000), r.totalMillis(), "the replies' round trips plus one timeout");
    }

    @Test
    void aReplyThatComesAfterItsTimeoutIsATimeoutAndMatchesNoLaterRequest() throws Exception {
        tunnel(300, Set.of(), true);
        PingServiceImpl service = new PingServiceImpl(layer, NO_HOST_PING, NO_DNS);
        RecordingListener listener = new RecordingListener();

        PingResult r = service.ping("10.214.0.1", options(3, 10, 100, 16), listener);

        assertEquals(List.of("started 10.214.0.1 10.214.0.1 16", "timeout 0", "timeout 1", "timeout 2"), listener.events);
        assertEquals(0, r.received());
        assertEquals(100, r.lossPercent());
        assertEquals(300, r.totalMillis());
        Await.until("the three late replies arrived", Duration.ofSeconds(10),
                () -> layer.drops().get(DropReason.ECHO_REPLY_UNMATCHED) == 3);
    }

    @Test
    void whileTheTunnelIsDownEveryRequestTimesOutAndNothingGoesThroughTheHost() throws Exception {
        EchoingTunnel tunnel = tunnel(0, Set.of(), false);
        PingServiceImpl service = new PingServiceImpl(layer, NO_HOST_PING, NO_DNS);
        RecordingListener listener = new RecordingListener();

        PingResult r = service.ping("10.214.0.1", options(2, 10, 50, 64), listener);

        assertEquals(List.of("started 10.214.0.1 10.214.0.1 64", "timeout 0", "timeout 1"), listener.events);
        assertEquals(2, r.transmitted());
        assertEquals(0, r.received());
        assertEquals(100, r.totalMillis());
        assertEquals(List.of(), tunnel.requests(), "nothing entered the tunnel");
    }

    @Test
    void anAddressNoTunnelCoversIsPingedThroughTheHost() throws Exception {
        tunnel(0, Set.of(), true);
        ArrayDeque<Optional<HostPing.Reply>> answers = new ArrayDeque<>(List.of(
                Optional.of(new HostPing.Reply(55, 3.25)), Optional.empty(), Optional.of(new HostPing.Reply(55, 4.5))));
        List<String> calls = new ArrayList<>();
        HostPing host = (a, size, timeout) -> {
            calls.add(a.getHostAddress() + " " + size + " " + timeout.toMillis());
            return answers.poll();
        };
        RecordingListener listener = new RecordingListener();

        PingResult r = new PingServiceImpl(layer, host, NO_DNS).ping("10.213.0.1", options(3, 10, 200, 56), listener);

        assertEquals(List.of("10.213.0.1 56 200", "10.213.0.1 56 200", "10.213.0.1 56 200"), calls);
        assertEquals(List.of("started 10.213.0.1 10.213.0.1 56", "reply 0 56 ttl=55", "timeout 1", "reply 2 56 ttl=55"),
                listener.events);
        assertEquals(List.of(3.25, 4.5), r.rttMillis());
        assertEquals(208, r.totalMillis(), "3.25 + 200 + 4.5, rounded");
        assertEquals(33, r.lossPercent());
    }

    @Test
    void aNameIsResolvedToItsFirstIpv4Address() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        HostResolver resolver = host -> new InetAddress[] {v6, ipv4("10.213.0.7"), ipv4("10.213.0.8")};
        HostPing host = (a, size, timeout) -> Optional.of(new HostPing.Reply(64, 1));
        RecordingListener listener = new RecordingListener();

        PingResult r = new PingServiceImpl(layer, host, resolver).ping("peer.test", options(1, 10, 100, 8), listener);

        assertEquals(ipv4("10.213.0.7"), r.address());
        assertEquals("peer.test", r.host());
        assertEquals("started peer.test 10.213.0.7 8", listener.events.get(0));
    }

    @Test
    void anUnknownHostIsReportedByNameAndNothingStarts() {
        HostResolver resolver = host -> {
            throw new UnknownHostException(host + ": Name or service not known");
        };
        RecordingListener listener = new RecordingListener();
        PingServiceImpl service = new PingServiceImpl(layer, NO_HOST_PING, resolver);

        UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> service.ping("nowhere.invalid", Options.DEFAULT, listener));

        assertEquals("unknown host nowhere.invalid", e.getMessage());
        assertEquals(List.of(), listener.events);
    }

    @Test
    void aNameWithOnlyIpv6AddressesIsRefused() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        PingServiceImpl service = new PingServiceImpl(layer, NO_HOST_PING, host -> new InetAddress[] {v6});

        UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> service.ping("six.test", Options.DEFAULT, new RecordingListener()));

        assertEquals("no IPv4 address for six.test", e.getMessage());
    }

    @Test
    void aRunIsInterruptible() throws Exception {
        EchoingTunnel tunnel = tunnel(0, Set.of(0, 1, 2, 3, 4), true);
        PingServiceImpl service = new PingServiceImpl(layer, NO_HOST_PING, NO_DNS);
        CompletableFuture<PingResult> run = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                run.complete(service.ping("10.214.0.1", options(5, 10, 60_000, 64), new RecordingListener()));
            } catch (Throwable t) {
                run.completeExceptionally(t);
            }
        });
        runner.start();
        Await.until("the first request was sent", Duration.ofSeconds(10), () -> !tunnel.requests().isEmpty());

        runner.interrupt();

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InterruptedException, e.getCause().toString());
    }

    @Test
    void loopbackIsPingedThroughTheHostWithoutLoss() throws Exception {
        PingServiceImpl service = new PingServiceImpl(new Ipv4Layer());
        RecordingListener listener = new RecordingListener();

        PingResult r = service.ping("127.0.0.1", options(3, 100, 5000, 56), listener);

        assertEquals(List.of("started 127.0.0.1 127.0.0.1 56", "reply 0 56 ttl=64", "reply 1 56 ttl=64",
                "reply 2 56 ttl=64"), listener.events);
        assertEquals(0, r.lossPercent());
        assertEquals(3, r.received());
    }

    @Test
    void loopbackAnswersEvenWithoutRoomForPingsTimestamp() throws Exception {
        PingServiceImpl service = new PingServiceImpl(new Ipv4Layer());
        RecordingListener listener = new RecordingListener();

        PingResult r = service.ping("127.0.0.1", options(1, 10, 5000, 8), listener);

        assertEquals(List.of("started 127.0.0.1 127.0.0.1 8", "reply 0 8 ttl=64"), listener.events);
        assertEquals(1, r.received());
    }
}
