package org.wgkaraf.netif.tcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.wgkaraf.netif.ip.DropReason;

/** The IPv4 layer for tests of the TCP runtime: keeps what TCP sends, counts drops, routes everything from A. */
final class RecordingLink implements IpLink {
    final List<byte[]> sent = new ArrayList<>();
    final Map<DropReason, Long> counts = new EnumMap<>(DropReason.class);
    /** Runs on every packet sent, on the sending thread (the locking test uses it). */
    volatile Runnable onSend = () -> { };

    @Override
    public boolean send(int source, byte[] packet, int length) {
        synchronized (this) {
            sent.add(Arrays.copyOf(packet, length));
        }
        onSend.run();
        return true;
    }

    @Override
    public int sourceFor(int destination) {
        return Packets.A;
    }

    @Override
    public synchronized void count(DropReason reason) {
        counts.merge(reason, 1L, Long::sum);
    }

    synchronized List<Segment> segments() {
        List<Segment> l = new ArrayList<>();
        for (byte[] p : sent) {
            l.add(Packets.parse(p));
        }
        return l;
    }

    synchronized Segment last() {
        return Packets.parse(sent.get(sent.size() - 1));
    }

    synchronized void clear() {
        sent.clear();
    }

    synchronized long counted(DropReason r) {
        return counts.getOrDefault(r, 0L);
    }
}
