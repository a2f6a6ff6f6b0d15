package org.wgkaraf.netif.registry;

import java.util.function.Consumer;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.Route;
import org.wgkaraf.api.netif.VirtualNetif;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * A virtual interface in the registry, attached to its backend. Its route is kept ready, so a
 * lookup allocates nothing: {@link Route.Virtual} while the link is up, {@link Route.Blackhole}
 * while it is down (packets for the tunnel's subnet never leave in clear).
 */
final class RegisteredNetif implements VirtualNetif {
    private final VirtualBackend.Attachment attachment;
    private final Consumer<RegisteredNetif> unregister;
    private final Route.Virtual up = new Route.Virtual(this);
    private final int network;
    private final int mask;
    private final int prefixLength;
    /** Written under this object's lock, read without it (receive, route lookups). */
    private volatile boolean closed;
    private volatile NetifInfo info;
    private volatile Route route;

    RegisteredNetif(NetifInfo info, VirtualBackend.Attachment attachment, Consumer<RegisteredNetif> unregister) {
        this.attachment = attachment;
        this.unregister = unregister;
        this.mask = Ipv4.toInt(info.netmask());
        this.network = Ipv4.toInt(info.address()) & mask;
        this.prefixLength = info.prefixLength();
        this.info = info;
        this.route = info.linkup() ? up : new Route.Blackhole(info);
    }

    @Override
    public NetifInfo info() {
        return info;
    }

    /** Tells the backend every time, in the order of the calls; nothing once closed. */
    @Override
    public synchronized void setLinkUp(boolean linkup) {
        if (closed) {
            return;
        }
        NetifInfo i = info;
        if (i.linkup() != linkup) {
            NetifInfo next = new NetifInfo(i.number(), i.name(), i.kind(), i.ifup(), linkup, i.address(), i.netmask(), i.gateway());
            info = next;
            route = linkup ? up : new Route.Blackhole(next);
        }
        attachment.setLinkUp(linkup);
    }

    /** A packet racing with {@link #close()} may still reach the attachment while it closes. */
    @Override
    public void receive(byte[] packet, int offset, int length) {
        if (!closed) {
            attachment.input(packet, offset, length);
        }
    }

    @Override
    public void flush() {
        if (!closed) {
            attachment.flush();
        }
    }

    /** Leaves the registry first, so no route leads here any more, then detaches from the backend. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        unregister.accept(this);
        attachment.close();
    }

    boolean covers(int destination) {
        return (destination & mask) == network;
    }

    int prefixLength() {
        return prefixLength;
    }

    boolean linkup() {
        return info.linkup();
    }

    int number() {
        return info.number();
    }

    /** Where packets for this interface's subnet go now. */
    Route route() {
        return route;
    }

    @Override
    public String toString() {
        return "VirtualNetif[" + info.name() + "]";
    }
}
