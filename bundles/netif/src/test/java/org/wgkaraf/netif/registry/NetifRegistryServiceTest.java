package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.netif.registry.FakeHostProbe.ip;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetifRegistry.Backend;
import org.wgkaraf.api.netif.Uplink;
import org.wgkaraf.testsupport.Await;

/** The host side of the registry: numbering, order, removal, the default interface, uplink and DNS. */
class NetifRegistryServiceTest {
    /** Long enough that only {@code refresh()} polls: the tests drive every read. */
    static final Duration NEVER = Duration.ofHours(1);

    private final FakeHostProbe host = new FakeHostProbe();
    private NetifRegistryService registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private NetifRegistryService start() {
        registry = new NetifRegistryService(host, NEVER, Map.of(Backend.USERSPACE, new FakeBackend()));
        return registry;
    }

    private static List<String> names(List<NetifInfo> infos) {
        return infos.stream().map(i -> i.number() + ":" + i.name()).collect(Collectors.toList());
    }

    @Test
    void hostInterfacesSeenTogetherAreNumberedFromOneInOsIndexOrderAndListedNewestFirst() {
        host.up("wlan0", 7, "192.168.1.12").up("eth0", 2, "10.0.0.5").up("usb0", 4, null);

        start();

        assertEquals(List.of("3:wlan0", "2:usb0", "1:eth0"), names(registry.interfaces()));
    }

    @Test
    void anInterfaceThatAppearsLaterGetsTheNextNumberAndIsListedFirst() {
        host.up("eth0", 2, "10.0.0.5").up("eth1", 3, "10.0.1.5");
        start();

        host.up("ppp0", 1, "100.64.0.9"); // a lower OS index, but seen later
        registry.refresh();

        assertEquals(List.of("3:ppp0", "2:eth1", "1:eth0"), names(registry.interfaces()));
    }

    @Test
    void anInterfaceThatDisappearsIsRemovedAndItsNumberIsNeverGivenAgain() {
        host.up("eth0", 2, "10.0.0.5").up("eth1", 3, "10.0.1.5");
        start();

        host.remove("eth0");
        registry.refresh();
        assertEquals(List.of("2:eth1"), names(registry.interfaces()));

        host.up("eth0", 2, "10.0.0.5"); // back under the same name: a new interface to the registry
        registry.refresh();
        assertEquals(List.of("3:eth0", "2:eth1"), names(registry.interfaces()));
    }

    @Test
    void aDeviceMadeAgainUnderItsNameWithANewIndexIsANewInterface() {
        host.up("eth0", 2, "10.0.0.5");
        start();

        host.up("eth0", 9, "10.0.0.5");
        registry.refresh();

        assertEquals(List.of("2:eth0"), names(registry.interfaces()));
    }

    @Test
    void anInterfaceKeepsItsNumberWhileItsStateChanges() {
        host.up("eth0", 2, "10.0.0.5").up("eth1", 3, null);
        start();

        host.put("eth0", 2, false, false, null, null).put("eth1", 3, true, true, "10.0.1.5", "255.255.0.0");
        registry.refresh();

        List<NetifInfo> infos = registry.interfaces();
        assertEquals(List.of("2:eth1", "1:eth0"), names(infos));
        NetifInfo eth1 = infos.get(0);
        assertEquals(new NetifInfo(2, "eth1", NetifInfo.Kind.HOST, true, true, ip("10.0.1.5"), ip("255.255.0.0"),
                ip("0.0.0.0")), eth1);
        NetifInfo eth0 = infos.get(1);
        assertEquals(new NetifInfo(1, "eth0", NetifInfo.Kind.HOST, false, false, ip("0.0.0.0"), ip("0.0.0.0"),
                ip("0.0.0.0")), eth0);
    }

    @Test
    void theDefaultInterfaceCarriesTheGatewayAndIsTheUplink() {
        host.up("eth0", 2, "10.0.0.5").up("wlan0", 3, "192.168.1.12").defaultRoute("wlan0", "192.168.1.1")
                .dns("192.168.1.1", "9.9.9.9");
        start();

        NetifInfo wlan0 = new NetifInfo(2, "wlan0", NetifInfo.Kind.HOST, true, true, ip("192.168.1.12"),
                ip("255.255.255.0"), ip("192.168.1.1"));
        assertEquals(Optional.of(wlan0), registry.defaultInterface());
        assertEquals(wlan0, registry.interfaces().get(0));
        assertEquals(ip("0.0.0.0"), registry.interfaces().get(1).gateway(), "only the default interface has a gateway");
        assertEquals(Optional.of(new Uplink("wlan0", ip("192.168.1.12"), ip("192.168.1.1"))), registry.uplink());
        assertEquals(List.of(ip("192.168.1.1"), ip("9.9.9.9")), registry.dnsServers());
    }

    @Test
    void withoutADefaultRouteThereIsNoDefaultInterfaceNoUplinkAndNoDns() {
        host.up("eth0", 2, "10.0.0.5");
        start();

        assertEquals(Optional.empty(), registry.defaultInterface());
        assertEquals(Optional.empty(), registry.uplink());
        assertEquals(List.of(), registry.dnsServers());
    }

    @Test
    void aDefaultInterfaceWithoutLinkOrAddressIsNoUplink() {
        host.put("eth0", 2, true, false, "10.0.0.5", "255.255.255.0").defaultRoute("eth0", "10.0.0.1");
        start();
        assertTrue(registry.defaultInterface().isPresent());
        assertEquals(Optional.empty(), registry.uplink(), "no carrier");

        host.put("eth0", 2, true, true, null, null);
        registry.refresh();
        assertTrue(registry.defaultInterface().isPresent());
        assertEquals(Optional.empty(), registry.uplink(), "no address");

        host.put("eth0", 2, true, true, "10.0.0.5", "255.255.255.0");
        registry.refresh();
        assertEquals(Optional.of(new Uplink("eth0", ip("10.0.0.5"), ip("10.0.0.1"))), registry.uplink());
    }

    @Test
    void whenTheProbeFailsTheLastReadingIsKept() {
        host.up("eth0", 2, "10.0.0.5").defaultRoute("eth0", "10.0.0.1");
        start();
        List<NetifInfo> before = registry.interfaces();

        host.failWith(new IOException("no /sys"));
        registry.refresh();

        assertEquals(before, registry.interfaces());
        assertTrue(registry.uplink().isPresent());
    }

    @Test
    void thePollerReadsTheHostWithoutBeingAsked() {
        host.up("eth0", 2, "10.0.0.5");
        registry = new NetifRegistryService(host, Duration.ofMillis(20), Map.of());

        host.up("eth1", 3, "10.0.1.5");

        Await.until("the poller sees eth1", Duration.ofSeconds(10), () -> names(registry.interfaces()).equals(List.of("2:eth1", "1:eth0")));
    }

    @Test
    void closeStopsBothThreadsAndFurtherPolls() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        start();
        Set<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("netif-"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("netif-poll", "netif-events"),
                started.stream().map(Thread::getName).collect(Collectors.toSet()));

        registry.close();

        for (Thread t : started) {
            assertFalse(t.isAlive(), t.getName() + " is still alive after close");
        }
        int reads = host.reads();
        registry.refresh();
        assertEquals(reads, host.reads(), "refresh after close reads nothing");
    }
}
