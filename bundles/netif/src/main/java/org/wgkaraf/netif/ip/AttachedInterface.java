package org.wgkaraf.netif.ip;

import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.netif.tcp.ReceiveBurst;
import org.wgkaraf.netif.spi.VirtualBackend;

/** A tunnel interface attached to the layer: the host's address on it, its subnet, its link. */
final class AttachedInterface implements VirtualBackend.Attachment {
    private final Ipv4Layer layer;
    final NetifInfo info;
    final PacketSink toTunnel;
    final int address;
    final int mask;
    final int prefixLength;
    /** /31 and /32 subnets have no broadcast address (RFC 3021). */
    private final boolean hasBroadcast;
    private final int broadcast;
    private volatile boolean linkUp;
    private volatile boolean closed;
    /**
     * Made at the first {@link #flush}: from then on the thread that flushed ({@link #flusher},
     * the tunnel's receive thread) is known to flush when its tunnel has nothing waiting, and TCP
     * may hold the answers to what that thread inputs until it does ({@link ReceiveBurst}).
     * Packets that other threads input, and all before the first flush, are answered at once.
     */
    private volatile ReceiveBurst burst;
    private volatile Thread flusher;

    AttachedInterface(Ipv4Layer layer, NetifInfo info, PacketSink toTunnel) {
        this.layer = layer;
        this.info = info;
        this.toTunnel = toTunnel;
        this.address = Bytes.address(info.address());
        this.mask = Bytes.address(info.netmask());
        this.prefixLength = Integer.bitCount(mask);
        if (prefixLength != 32 && mask != -1 << (32 - prefixLength)) {
            throw new IllegalArgumentException("netmask " + info.netmask().getHostAddress() + " of " + info.name()
                    + " is not contiguous");
        }
        this.hasBroadcast = prefixLength <= 30;
        this.broadcast = address | ~mask;
        this.linkUp = info.linkup();
    }

    boolean covers(int destination) {
        return ((destination ^ address) & mask) == 0;
    }

    boolean isSubnetBroadcast(int a) {
        return hasBroadcast && a == broadcast;
    }

    boolean linkUp() {
        return linkUp;
    }

    boolean closed() {
        return closed;
    }

    String name() {
        return info.name();
    }

    @Override
    public void input(byte[] packet, int offset, int length) {
        layer.input(this, packet, offset, length);
    }

    @Override
    public void flush() {
        ReceiveBurst b = burst;
        if (b == null) {
            b = layer.newBurst();
            burst = b;
        }
        Thread t = Thread.currentThread();
        if (flusher != t) {
            flusher = t; // a new receive thread (the tunnel restarted): it holds from now on
        }
        b.flush();
    }

    /** The burst that the packets {@link #input} takes now belong to, or null: answer at once. */
    ReceiveBurst burst() {
        return flusher == Thread.currentThread() ? burst : null;
    }

    @Override
    public void setLinkUp(boolean up) {
        linkUp = up;
    }

    @Override
    public void close() {
        closed = true;
        layer.detach(this);
        ReceiveBurst b = burst;
        if (b != null) {
            b.flush(); // nothing stays held
        }
    }

    @Override
    public String toString() {
        return info.name() + " " + Bytes.dotted(address) + "/" + prefixLength + (linkUp ? " up" : " down");
    }
}
