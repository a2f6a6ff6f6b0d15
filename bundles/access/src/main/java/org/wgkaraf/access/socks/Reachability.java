package org.wgkaraf.access.socks;

import java.net.Inet4Address;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.Route;

/** Where an address lies for the proxy's one rule: only a tunnel's subnet is reached. */
@FunctionalInterface
interface Reachability {

    enum Reach {
        /** In a tunnel's subnet, and the tunnel is up. */
        INSIDE,
        /** In a tunnel's subnet, but the tunnel is down. */
        TUNNEL_DOWN,
        /** In no tunnel's subnet. */
        OUTSIDE
    }

    Reach of(Inet4Address address);

    /** The netif registry's routes: a virtual interface (tunnel) covers the subnet, or it does not. */
    static Reachability of(NetifRegistry registry) {
        return address -> {
            Route route = registry.route(address);
            if (route instanceof Route.Virtual) {
                return Reach.INSIDE;
            }
            if (route instanceof Route.Blackhole) {
                return Reach.TUNNEL_DOWN;
            }
            return Reach.OUTSIDE;
        };
    }
}
