package org.wgkaraf.netif.ip;

import java.io.IOException;
import java.net.NoRouteToHostException;
import org.wgkaraf.netif.tcp.IpLink;

/** The IPv4 layer as the TCP layer sees it: where its packets go, and where its counts go. */
final class TcpLink implements IpLink {
    private final Ipv4Layer layer;

    TcpLink(Ipv4Layer layer) {
        this.layer = layer;
    }

    @Override
    public boolean send(int source, byte[] packet, int length) {
        AttachedInterface out = sendingInterface(source);
        if (out == null) {
            return false;
        }
        out.toTunnel.deliver(packet, 0, length);
        return true;
    }

    @Override
    public boolean sendMore(int source, byte[] packet, int length) {
        AttachedInterface out = sendingInterface(source);
        if (out == null) {
            return false;
        }
        out.toTunnel.deliverMore(packet, 0, length);
        return true;
    }

    @Override
    public void flush(int source) {
        AttachedInterface out = layer.localInterface(source);
        if (out != null) {
            out.toTunnel.flush();
        }
    }

    /** The open interface with address {@code source}, its link up; null (and counted) otherwise. */
    private AttachedInterface sendingInterface(int source) {
        AttachedInterface out = layer.localInterface(source);
        if (out == null) {
            layer.count(DropReason.INTERFACE_GONE);
            return null;
        }
        if (!out.linkUp()) {
            layer.count(DropReason.LINK_DOWN);
            return null;
        }
        return out;
    }

    @Override
    public int sourceFor(int destination) throws IOException {
        AttachedInterface local = layer.localInterface(destination);
        if (local != null) {
            throw new IOException(Bytes.dotted(destination) + " is this host's own address on " + local.name()
                    + ": connecting to itself is not supported");
        }
        try {
            return layer.routeForSending(destination).address;
        } catch (IOException e) {
            throw new NoRouteToHostException(e.getMessage());
        }
    }

    @Override
    public void count(DropReason reason) {
        layer.count(reason);
    }
}
