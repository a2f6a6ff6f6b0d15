package org.wgkaraf.netif.registry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's network state at one moment: its interfaces but loopback, the default route and the
 * resolver's name servers.
 */
public record HostSnapshot(List<HostInterface> interfaces, Optional<DefaultRoute> defaultRoute,
                           List<InetAddress> dnsServers) {

    public HostSnapshot {
        interfaces = List.copyOf(interfaces);
        Objects.requireNonNull(defaultRoute, "defaultRoute");
        dnsServers = List.copyOf(dnsServers);
    }

    /**
     * One interface as the OS shows it. {@code index} is the OS's interface index; the address is the
     * interface's first IPv4 address, 0.0.0.0 (and netmask 0.0.0.0) when it has none.
     */
    public record HostInterface(String name, int index, boolean ifup, boolean linkup,
                                Inet4Address address, Inet4Address netmask) {
        public HostInterface {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(netmask, "netmask");
        }
    }

    /** The route to 0.0.0.0/0: the interface it leaves by and its gateway (0.0.0.0 when on-link). */
    public record DefaultRoute(String interfaceName, Inet4Address gateway) {
        public DefaultRoute {
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(gateway, "gateway");
        }
    }
}
