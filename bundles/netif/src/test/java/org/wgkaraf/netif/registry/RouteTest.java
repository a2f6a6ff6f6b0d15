package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.netif.registry.FakeHostProbe.ip;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifRegistry.Backend;
import org.wgkaraf.api.netif.Route;
import org.wgkaraf.api.netif.VirtualNetif;

/** Where a destination goes: the tunnel covering it by longest prefix, a blackhole while it is down, else the host. */
class RouteTest {
    private static final PacketSink TO_TUNNEL = (packet, offset, length) -> { };

    private final NetifRegistryService registry = new NetifRegistryService(
            new FakeHostProbe().up("eth0", 2, "192.168.1.12").defaultRoute("eth0", "192.168.1.1"),
            NetifRegistryServiceTest.NEVER, Map.of(Backend.USERSPACE, new FakeBackend()));

    @AfterEach
    void close() {
        registry.close();
    }

    private VirtualNetif tunnel(String address, String netmask) throws IOException {
        return registry.register("wg", ip(address), ip(netmask), Backend.USERSPACE, TO_TUNNEL);
    }

    @Test
    void aDestinationInAnUpTunnelsSubnetGoesThroughIt() throws IOException {
        VirtualNetif wg = tunnel("172.16.10.20", "255.255.255.0");
        wg.setLinkUp(true);

        assertEquals(new Route.Virtual(wg), registry.route(ip("172.16.10.1")));
        assertEquals(new Route.Virtual(wg), registry.route(ip("172.16.10.255")));
    }

    @Test
    void aDestinationInADownTunnelsSubnetIsBlackholedNotSentInClear() throws IOException {
        VirtualNetif wg = tunnel("172.16.10.20", "255.255.255.0");

        assertEquals(new Route.Blackhole(wg.info()), registry.route(ip("172.16.10.1")));

        wg.setLinkUp(true);
        wg.setLinkUp(false);
        assertEquals(new Route.Blackhole(wg.info()), registry.route(ip("172.16.10.1")));
    }

    @Test
    void aDestinationOutsideEveryTunnelGoesToTheHost() throws IOException {
        tunnel("172.16.10.20", "255.255.255.0").setLinkUp(true);

        assertEquals(new Route.Host(), registry.route(ip("172.16.11.1")));
        assertEquals(new Route.Host(), registry.route(ip("8.8.8.8")));
    }

    @Test
    void theLongestPrefixWins() throws IOException {
        VirtualNetif wide = tunnel("10.214.0.1", "255.255.0.0");
        VirtualNetif narrow = tunnel("10.214.5.1", "255.255.255.0");
        wide.setLinkUp(true);
        narrow.setLinkUp(true);

        assertEquals(new Route.Virtual(narrow), registry.route(ip("10.214.5.77")));
        assertEquals(new Route.Virtual(wide), registry.route(ip("10.214.6.77")));

        narrow.setLinkUp(false);
        assertEquals(new Route.Blackhole(narrow.info()), registry.route(ip("10.214.5.77")),
                "a narrower tunnel that is down is not bypassed through a wider one");
    }

    @Test
    void aClosedTunnelRoutesNothing() throws IOException {
        VirtualNetif wg = tunnel("172.16.10.20", "255.255.255.0");
        wg.setLinkUp(true);

        wg.close();

        assertEquals(new Route.Host(), registry.route(ip("172.16.10.1")));
    }

    @Test
    void aTunnelWithAZeroNetmaskCoversEverything() throws IOException {
        VirtualNetif all = tunnel("10.214.0.1", "0.0.0.0");
        all.setLinkUp(true);

        assertEquals(new Route.Virtual(all), registry.route(ip("8.8.8.8")));
    }

    @Test
    void theIntFormOfADestinationRoutesTheSame() throws IOException {
        VirtualNetif wg = tunnel("172.16.10.20", "255.255.255.0");
        wg.setLinkUp(true);

        assertEquals(new Route.Virtual(wg), registry.route(0xAC100A01)); // 172.16.10.1
        assertEquals(new Route.Host(), registry.route(0xAC100B01));      // 172.16.11.1
    }
}
