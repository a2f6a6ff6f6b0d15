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
    /** Runs on every flush, on the flushing thread. */
    volatile Runnable onFlush = () -> { };
    /** "send", "more" (a packet of a burst) or "flush", in order. */
    final List<String> events = new ArrayList<>();

    @Override
    public boolean send(int source, byte[] packet, int length) {
        return record("send", packet, length);
    }

    @Override
    public boolean sendMore(int source, byte[] packet, int length) {
        return record("more", packet, length);
    }

    private boolean record(String event, byte[] packet, int length) {
        synchronized (this) {
            sent.add(Arrays.copyOf(packet, length));
            events.add(event);
        }
        onSend.run();
        return true;
    }

    @Override
    public void flush(int source) {
        synchronized (this) {
            events.add("flush");
        }
        onFlush.run();
    }

    synchronized List<String> events() {
        return new ArrayList<>(events);
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
        events.clear();
    }

    synchronized long counted(DropReason r) {
        return counts.getOrDefault(r, 0L);
    }
}
