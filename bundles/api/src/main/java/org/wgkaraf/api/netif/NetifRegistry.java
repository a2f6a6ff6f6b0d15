package org.wgkaraf.api.netif;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.wgkaraf.api.engine.PacketSink;
import org.osgi.annotation.versioning.ProviderType;

/** Every interface of the module, the DNS servers, the default interface, routes and events. */
@ProviderType
public interface NetifRegistry {

    /** Every interface but loopback, newest (highest number) first, as {@code network status} lists them. */
    List<NetifInfo> interfaces();

    /** The resolver's name servers, in order; empty when none. */
    List<InetAddress> dnsServers();

    /** The interface holding the default route, if any. */
    Optional<NetifInfo> defaultInterface();

    /** The current uplink, if the network is ready. */
    Optional<Uplink> uplink();

    /**
     * Registers a virtual interface, numbered after every interface seen so far and named
     * {@code namePrefix + number}. A prefix registered again gets back its previous number when
     * no open interface holds it, so a tunnel rebuilt keeps its name. It starts ifup=1, linkup=0.
     *
     * @param backend  who carries its packets: the userspace IPv4 layer, or a Linux TUN device
     * @param toTunnel receives the packets the module sends through this interface
     * @throws java.io.IOException when the backend cannot be set up (TUN without privilege: the
     *                             message says so and what to do); nothing is left registered
     */
    VirtualNetif register(String namePrefix, Inet4Address address, Inet4Address netmask, Backend backend,
                          PacketSink toTunnel) throws java.io.IOException;

    /** Who carries a virtual interface's packets. */
    enum Backend {
        /** The userspace IPv4 layer: ICMP echo and UDP, no privilege needed. */
        USERSPACE,
        /** A Linux TUN device: the OS carries everything (TCP, SSH). Needs CAP_NET_ADMIN. */
        TUN
    }

    /** Longest prefix among virtual interfaces, else the host. */
    Route route(Inet4Address destination);

    void addListener(NetworkListener listener);

    void removeListener(NetworkListener listener);

    /** Reads the host's interfaces now instead of at the next poll. */
    void refresh();
}
