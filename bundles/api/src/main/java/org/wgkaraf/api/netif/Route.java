package org.wgkaraf.api.netif;

/** Where a packet for a destination goes. */
public sealed interface Route {
    /** Through a virtual interface (a tunnel) whose subnet covers the destination. */
    record Virtual(VirtualNetif netif) implements Route {
    }

    /** Through the host's own stack (the default interface). */
    record Host() implements Route {
    }

    /**
     * Nowhere: the destination is in a tunnel's subnet but the tunnel is down. The packet is
     * dropped rather than sent in clear on the uplink.
     */
    record Blackhole(NetifInfo tunnel) implements Route {
    }
}
