package org.wgkaraf.config;

import java.util.concurrent.atomic.AtomicLong;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.netif.VirtualNetif;

/**
 * Carries packets between one tunnel and its interface {@code wg<n>}. Both ends call in on their
 * own threads: the interface's backend (the userspace layer on the sender's thread, or the TUN
 * reader) hands packets for the tunnel, the engine's receive thread hands packets for the
 * interface. A bridge exists before either end is fully built (the interface is registered, and
 * may already read, before the tunnel opens), so each end is a volatile field, set once both are
 * built; what comes before, or after {@link #disconnect}, is dropped and counted.
 */
final class PacketBridge {
    private volatile Tunnel tunnel;
    private volatile VirtualNetif netif;
    private final AtomicLong droppedUnconnected = new AtomicLong();
    /** The tunnel's sink: {@link #fromTunnel}, and the end of each burst passed on to the interface. */
    private final PacketSink tunnelSink = new PacketSink() {
        @Override
        public void deliver(byte[] packet, int offset, int length) {
            fromTunnel(packet, offset, length);
        }

        @Override
        public void flush() {
            VirtualNetif n = netif;
            if (n != null) {
                n.flush();
            }
        }
    };

    /**
     * The interface's sink: {@link #toTunnel}, and a burst's packets (the TUN backend's split
     * super-segments) passed on for the tunnel to send together.
     */
    private final PacketSink netifSink = new PacketSink() {
        @Override
        public void deliver(byte[] packet, int offset, int length) {
            toTunnel(packet, offset, length);
        }

        @Override
        public void deliverMore(byte[] packet, int offset, int length) {
            Tunnel t = tunnel;
            if (t != null) {
                t.sendMore(packet, offset, length);
            } else {
                droppedUnconnected.incrementAndGet();
            }
        }

        @Override
        public void flush() {
            Tunnel t = tunnel;
            if (t != null) {
                t.flush();
            }
        }
    };

    /** What the tunnel delivers to. */
    PacketSink tunnelSink() {
        return tunnelSink;
    }

    /** What the interface delivers to. */
    PacketSink netifSink() {
        return netifSink;
    }

    void connect(Tunnel t, VirtualNetif n) {
        netif = n;
        tunnel = t;
    }

    void disconnect() {
        tunnel = null;
        netif = null;
    }

    /** From the interface: a packet the module sends into the tunnel. */
    void toTunnel(byte[] packet, int off, int len) {
        Tunnel t = tunnel;
        if (t != null) {
            t.send(packet, off, len);
        } else {
            droppedUnconnected.incrementAndGet();
        }
    }

    /** From the tunnel: a decrypted packet for the module. */
    void fromTunnel(byte[] packet, int off, int len) {
        VirtualNetif n = netif;
        if (n != null) {
            n.receive(packet, off, len);
        } else {
            droppedUnconnected.incrementAndGet();
        }
    }

    /** Packets that met a bridge with an end missing (built, or being taken down). */
    long droppedUnconnected() {
        return droppedUnconnected.get();
    }
}
