package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.Uplink;

/**
 * The network events: ready, gone and changed as the uplink of consecutive readings moves, in order
 * on one thread, for listeners added early or late, despite a listener that throws.
 */
class NetworkEventsTest {
    private static final String READY_12 = "ready wlan0 192.168.1.12 via 192.168.1.1";
    private static final String READY_13 = "ready wlan0 192.168.1.13 via 192.168.1.1";
    private final FakeHostProbe host = new FakeHostProbe().up("eth0", 2, null).up("wlan0", 3, null);
    private final NetifRegistryService registry = new NetifRegistryService(host, NetifRegistryServiceTest.NEVER, Map.of());

    @AfterEach
    void close() {
        registry.close();
    }

    /** A listener added now. */
    private RecordingListener listening() {
        RecordingListener listener = new RecordingListener();
        registry.addListener(listener);
        return listener;
    }

    private void wlanUp(String address) {
        host.up("wlan0", 3, address).defaultRoute("wlan0", "192.168.1.1");
        registry.refresh();
    }

    private void noRoute() {
        host.defaultRoute(null, null);
        registry.refresh();
    }

    @Test
    void theUplinkComingGoingAndMovingIsToldInOrder() throws InterruptedException {
        RecordingListener listener = listening();

        wlanUp("192.168.1.12");
        assertEquals(READY_12, listener.next());

        wlanUp("192.168.1.13");
        assertEquals("changed wlan0 192.168.1.12 via 192.168.1.1 -> wlan0 192.168.1.13 via 192.168.1.1", listener.next());

        host.up("eth0", 2, "10.0.0.5").defaultRoute("eth0", "10.0.0.1");
        registry.refresh();
        assertEquals("changed wlan0 192.168.1.13 via 192.168.1.1 -> eth0 10.0.0.5 via 10.0.0.1", listener.next());

        host.defaultRoute("eth0", "10.0.0.254");
        registry.refresh();
        assertEquals("changed eth0 10.0.0.5 via 10.0.0.1 -> eth0 10.0.0.5 via 10.0.0.254", listener.next());

        noRoute();
        assertEquals("gone", listener.next());
    }

    @Test
    void aReadingWithTheSameUplinkTellsNothing() throws InterruptedException {
        RecordingListener listener = listening();
        wlanUp("192.168.1.12");
        assertEquals(READY_12, listener.next());

        registry.refresh();
        host.up("eth0", 2, "10.0.0.5"); // another interface changes: the uplink does not
        registry.refresh();
        noRoute();

        assertEquals("gone", listener.next(), "the next event is the one that moved the uplink");
    }

    @Test
    void theUplinkLosingItsLinkIsGone() throws InterruptedException {
        RecordingListener listener = listening();
        wlanUp("192.168.1.12");
        assertEquals(READY_12, listener.next());

        host.put("wlan0", 3, true, false, "192.168.1.12", "255.255.255.0");
        registry.refresh();

        assertEquals("gone", listener.next());
    }

    @Test
    void aListenerAddedWhileThereIsAnUplinkIsToldReadyAtOnce() throws InterruptedException {
        wlanUp("192.168.1.12");

        RecordingListener late = listening();

        assertEquals(READY_12, late.next());
        noRoute();
        assertEquals("gone", late.next());
    }

    @Test
    void aListenerAddedWithoutUplinkIsToldNothingUntilOneComes() throws InterruptedException {
        RecordingListener listener = listening();

        wlanUp("192.168.1.12");

        assertEquals(READY_12, listener.next(), "the first thing it hears");
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthersNorLaterEvents() throws InterruptedException {
        RecordingListener throwing = new RecordingListener() {
            @Override
            public void networkReady(Uplink uplink) {
                super.networkReady(uplink);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void networkGone() {
                super.networkGone();
                throw new IllegalStateException("listener bug");
            }
        };
        RecordingListener good = new RecordingListener();
        registry.addListener(throwing);
        registry.addListener(good);

        wlanUp("192.168.1.12");
        noRoute();

        assertEquals(READY_12, good.next());
        assertEquals("gone", good.next());
        assertEquals(READY_12, throwing.next());
        assertEquals("gone", throwing.next(), "the thrower is still told later events");
    }

    @Test
    void allEventsComeOnOneThread() throws InterruptedException {
        List<String> threads = new CopyOnWriteArrayList<>();
        RecordingListener listener = new RecordingListener() {
            @Override
            public void networkReady(Uplink uplink) {
                threads.add(Thread.currentThread().getName());
                super.networkReady(uplink);
            }

            @Override
            public void networkGone() {
                threads.add(Thread.currentThread().getName());
                super.networkGone();
            }
        };
        registry.addListener(listener);

        wlanUp("192.168.1.12");
        noRoute();
        listener.next();
        listener.next();

        assertEquals(List.of("netif-events", "netif-events"), threads);
    }

    @Test
    void aRemovedListenerIsToldNothingMore() throws InterruptedException {
        RecordingListener removed = new RecordingListener();
        RecordingListener witness = new RecordingListener();
        registry.addListener(removed);
        registry.addListener(witness);
        wlanUp("192.168.1.12");
        assertEquals(READY_12, removed.next());
        assertEquals(READY_12, witness.next());

        registry.removeListener(removed);
        noRoute();
        wlanUp("192.168.1.13");

        assertEquals("gone", witness.next());
        // Delivery is in order on one thread: once the witness hears the second event, the first
        // has been delivered to everyone still listening.
        assertEquals(READY_13, witness.next());
        assertEquals(0, removed.pending());
    }

    @Test
    void aListenerAddedTwiceIsToldOnce() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        RecordingListener witness = new RecordingListener();
        registry.addListener(listener);
        registry.addListener(listener);
        registry.addListener(witness);

        wlanUp("192.168.1.12");
        noRoute();

        assertEquals(READY_12, listener.next());
        assertEquals("gone", listener.next());
        assertEquals(READY_12, witness.next());
        assertEquals("gone", witness.next());
        assertEquals(0, listener.pending());
    }
}
