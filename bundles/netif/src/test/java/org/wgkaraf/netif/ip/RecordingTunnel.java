package org.wgkaraf.netif.ip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wgkaraf.api.engine.PacketSink;

/** A tunnel that keeps a copy of every packet the layer sends through it. */
public final class RecordingTunnel implements PacketSink {
    private final List<byte[]> sent = new ArrayList<>();

    @Override
    public synchronized void deliver(byte[] packet, int offset, int length) {
        sent.add(Arrays.copyOfRange(packet, offset, offset + length));
    }

    public synchronized List<byte[]> sent() {
        return List.copyOf(sent);
    }

    public synchronized byte[] only() {
        if (sent.size() != 1) {
            throw new AssertionError("expected exactly one packet sent, got " + sent.size());
        }
        return sent.get(0);
    }

    public synchronized void clear() {
        sent.clear();
    }
}
