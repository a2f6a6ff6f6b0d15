package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.netif.spi.AcceptQueue;
import org.wgkaraf.netif.spi.TcpBackend;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * The Linux TUN backend: each tunnel interface becomes a real interface of the OS, named like the
 * tunnel interface and carrying its address and netmask, so every program on the machine can use
 * the tunnel. Needs CAP_NET_ADMIN; without it {@link #attach} fails saying how to get it. TCP
 * through it ({@link TcpBackend}) is the OS's, on sockets bound to the interfaces' addresses.
 */
@Component(service = {VirtualBackend.class, TcpBackend.class}, property = "netif.backend=TUN")
public final class TunBackend implements VirtualBackend, TcpBackend, AutoCloseable {
    /** WireGuard's usual MTU: 1500 less 80 bytes for an outer IPv6 header, UDP and WireGuard's header and tag. */
    public static final int MTU = 1420;
    /**
     * The system property that turns TUN offloads off ("false"): one packet per read and write, as
     * before them. On by default; see docs/tun-offload.md for what they are worth.
     */
    public static final String OFFLOAD_PROPERTY = "wgkaraf.tun.offload";
    /**
     * With offloads on, "false" keeps the OS from handing over TCP super-segments (no TSO): it sends
     * plain packets, and still takes joined ones. On by default.
     */
    public static final String TSO_PROPERTY = "wgkaraf.tun.tso";

    private static final Logger LOG = LoggerFactory.getLogger(TunBackend.class);
    private static final AtomicBoolean OFFLOAD_REFUSAL_LOGGED = new AtomicBoolean();

    private final TunTcp tcp = new TunTcp();

    /** Offloads on or off; null: as {@link #OFFLOAD_PROPERTY} says at each attach. */
    private final Boolean offloadsFixed;

    public TunBackend() {
        this(null);
    }

    /** For tests of both paths in one JVM: offloads on or off whatever the system property says. */
    TunBackend(Boolean offloads) {
        this.offloadsFixed = offloads;
    }

    @Override
    public Attachment attach(NetifInfo info, PacketSink toTunnel) throws IOException {
        boolean offloads = offloadsFixed != null ? offloadsFixed : Boolean.parseBoolean(System.getProperty(OFFLOAD_PROPERTY, "true"));
        boolean tso = Boolean.parseBoolean(System.getProperty(TSO_PROPERTY, "true"));
        TunDevice device = TunDevice.open(info.name(), info.address(), info.prefixLength(), MTU, offloads, tso);
        if (device.offloadRefusal() != null && OFFLOAD_REFUSAL_LOGGED.compareAndSet(false, true)) {
            LOG.warn("the kernel refuses TUN offloads ({}): TUN interfaces carry one packet per read and write", device.offloadRefusal());
        }
        tcp.interfaceUp(info.name(), info.address(), info.prefixLength());
        return TunAttachment.start(device, toTunnel, () -> tcp.interfaceDown(info.address()));
    }

    @Override
    public AutoCloseable listen(int port, AcceptQueue queue) throws IOException {
        return tcp.listen(port, queue);
    }

    @Override
    public int routePrefix(Inet4Address address) {
        return tcp.routePrefix(address);
    }

    @Override
    public TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException {
        return tcp.connect(address, port, timeout);
    }

    @Override
    public TcpStatus status() {
        return tcp.status();
    }

    /** Stops listening and resets the connections it made; the interfaces are their owners' to close. */
    @Deactivate
    @Override
    public void close() {
        tcp.close();
    }
}
