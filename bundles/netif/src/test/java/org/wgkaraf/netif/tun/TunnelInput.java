package org.wgkaraf.netif.tun;

import java.util.concurrent.atomic.AtomicLong;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.Tunnel;

/**
 * What an interface sends, into a tunnel: a packet, or a burst's packets held for the tunnel to
 * send together, and the burst's end; each counted. The tests' stand-in for the config bundle's
 * bridge in the direction interface to tunnel ({@link AttachmentSink} is the other direction).
 */
public final class TunnelInput implements PacketSink {
    private final Tunnel tunnel;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();

    public TunnelInput(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    @Override
    public void deliver(byte[] packet, int offset, int length) {
        tunnel.send(packet, offset, length);
    }

    @Override
    public void deliverMore(byte[] packet, int offset, int length) {
        held.incrementAndGet();
        tunnel.sendMore(packet, offset, length);
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
        tunnel.flush();
    }

    /** Packets handed over as part of a burst. */
    public long held() {
        return held.get();
    }

    /** Bursts ended. */
    public long flushes() {
        return flushes.get();
    }

    @Override
    public String toString() {
        return "TunnelInput[held " + held + ", flushes " + flushes + "]";
    }
}
