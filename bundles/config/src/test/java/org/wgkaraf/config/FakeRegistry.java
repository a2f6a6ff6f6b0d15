package org.wgkaraf.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Route;
import org.wgkaraf.api.netif.Uplink;
import org.wgkaraf.api.netif.VirtualNetif;

/** A registry whose interfaces are records and whose network events the test raises. */
final class FakeRegistry implements NetifRegistry {
    final List<FakeNetif> registered = new CopyOnWriteArrayList<>();
    private int next = 3;

    final class FakeNetif implements VirtualNetif {
        final NetifInfo info;
        volatile boolean linkUp;
        volatile boolean closed;
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final PacketSink toTunnel;

        FakeNetif(NetifInfo info, PacketSink toTunnel) {
            this.info = info;
            this.toTunnel = toTunnel;
        }

        @Override
        public NetifInfo info() {
            return new NetifInfo(info.number(), info.name(), info.kind(), true, linkUp, info.address(), info.netmask(), info.gateway());
        }

        @Override
        public void setLinkUp(boolean up) {
            linkUp = up;
        }

        @Override
        public void receive(byte[] packet, int offset, int length) {
            received.add(java.util.Arrays.copyOfRange(packet, offset, offset + length));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    List<FakeNetif> open() {
        List<FakeNetif> out = new ArrayList<>();
        for (FakeNetif n : registered) {
            if (!n.closed) {
                out.add(n);
            }
        }
        return out;
    }

    @Override
    public synchronized VirtualNetif register(String prefix, Inet4Address address, Inet4Address netmask, Backend backend,
                                              PacketSink toTunnel) throws IOException {
        int n = next++;
        FakeNetif f = new FakeNetif(new NetifInfo(n, prefix + n, NetifInfo.Kind.VIRTUAL, true, false, address, netmask,
                zero()), toTunnel);
        registered.add(f);
        return f;
    }

    static Inet4Address zero() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<NetifInfo> interfaces() {
        return List.of();
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
    public Route route(Inet4Address destination) {
        return new Route.Host();
    }

    @Override
    public void addListener(NetworkListener listener) {
    }

    @Override
    public void removeListener(NetworkListener listener) {
    }

    @Override
    public void refresh() {
    }
}
