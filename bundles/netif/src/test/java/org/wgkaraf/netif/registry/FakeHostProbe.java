package org.wgkaraf.netif.registry;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.wgkaraf.netif.registry.HostSnapshot.DefaultRoute;
import org.wgkaraf.netif.registry.HostSnapshot.HostInterface;

/** A host the test drives: it sets interfaces, the default route and DNS; the registry reads them. */
final class FakeHostProbe implements HostProbe {
    private final List<HostInterface> interfaces = new ArrayList<>();
    private DefaultRoute defaultRoute;
    private List<InetAddress> dns = List.of();
    private IOException failure;
    private int reads;

    @Override
    public synchronized HostSnapshot read() throws IOException {
        reads++;
        if (failure != null) {
            throw failure;
        }
        return new HostSnapshot(interfaces, Optional.ofNullable(defaultRoute), dns);
    }

    synchronized int reads() {
        return reads;
    }

    /** Adds an interface that is up, with a link, and an address in a /24 (or none for null). */
    synchronized FakeHostProbe up(String name, int index, String address) {
        return put(name, index, true, true, address, address == null ? "0.0.0.0" : "255.255.255.0");
    }

    /** Adds or replaces (by name) an interface; a null address or netmask is 0.0.0.0. */
    synchronized FakeHostProbe put(String name, int index, boolean ifup, boolean linkup, String address, String netmask) {
        interfaces.removeIf(i -> i.name().equals(name));
        interfaces.add(new HostInterface(name, index, ifup, linkup, ip(address == null ? "0.0.0.0" : address),
                ip(netmask == null ? "0.0.0.0" : netmask)));
        return this;
    }

    synchronized FakeHostProbe remove(String name) {
        interfaces.removeIf(i -> i.name().equals(name));
        return this;
    }

    synchronized FakeHostProbe defaultRoute(String name, String gateway) {
        defaultRoute = name == null ? null : new DefaultRoute(name, ip(gateway));
        return this;
    }

    synchronized FakeHostProbe dns(String... servers) {
        List<InetAddress> out = new ArrayList<>();
        for (String s : servers) {
            out.add(ip(s));
        }
        dns = out;
        return this;
    }

    synchronized FakeHostProbe failWith(IOException e) {
        failure = e;
        return this;
    }

    static Inet4Address ip(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no address"); // InetAddress would take null for localhost
        }
        try {
            return (Inet4Address) InetAddress.getByName(text); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
