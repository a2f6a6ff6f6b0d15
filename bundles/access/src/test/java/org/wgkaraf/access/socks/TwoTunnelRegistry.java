package org.wgkaraf.access.socks;

import static org.wgkaraf.access.LoopbackTcpService.ip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Route;
import org.wgkaraf.api.netif.Uplink;
import org.wgkaraf.api.netif.VirtualNetif;

/**
 * The routes of a module with two tunnels: {@code wg0} at 172.16.10.20/12, up, and {@code wg1} at
 * 10.99.0.1/16, down. Everything else goes to the host. Only {@link #route} is used by the proxy.
 */
final class TwoTunnelRegistry implements NetifRegistry {
    private final NetifInfo up = new NetifInfo(3, "wg0", NetifInfo.Kind.VIRTUAL, true, true,
            ip("172.16.10.20"), ip("255.240.0.0"), ip("0.0.0.0"));
    private final NetifInfo down = new NetifInfo(4, "wg1", NetifInfo.Kind.VIRTUAL, true, false,
            ip("10.99.0.1"), ip("255.255.0.0"), ip("0.0.0.0"));
    private final VirtualNetif upNetif = new VirtualNetif() {
        @Override
        public NetifInfo info() {
            return up;
        }

        @Override
        public void setLinkUp(boolean linkUp) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void receive(byte[] packet, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            throw new UnsupportedOperationException();
        }
    };

    @Override
    public Route route(Inet4Address destination) {
        if (covers(up, destination)) {
            return new Route.Virtual(upNetif);
        }
        if (covers(down, destination)) {
            return new Route.Blackhole(down);
        }
        return new Route.Host();
    }

    private static boolean covers(NetifInfo netif, Inet4Address a) {
        int mask = toInt(netif.netmask());
        return (toInt(netif.address()) & mask) == (toInt(a) & mask);
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    @Override
    public List<NetifInfo> interfaces() {
        return List.of(down, up);
    }

    @Override
    public List<InetAddress> dnsServers() {
        return List.of();
    }

    @Override
    public Optional<NetifInfo> defaultInterface() {
        return Optional.empty();
    }

    @Override
    public Optional<Uplink> uplink() {
        return Optional.empty();
    }

    @Override
    public VirtualNetif register(String namePrefix, Inet4Address address, Inet4Address netmask, Backend backend,
                                 PacketSink toTunnel) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addListener(NetworkListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeListener(NetworkListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void refresh() {
        // Nothing to read.
    }
}
