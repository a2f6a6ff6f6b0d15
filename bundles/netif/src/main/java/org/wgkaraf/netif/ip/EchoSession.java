package org.wgkaraf.netif.ip;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Echo requests to one destination under one ICMP identifier, and the replies matched to them by
 * sequence number. A reply that comes after its request was given up is not matched.
 */
public final class EchoSession implements AutoCloseable {
    private final Ipv4Layer layer;
    private final Inet4Address destination;
    private final int destinationAddress;
    private final int identifier;
    private final Object lock = new Object();
    /** Sequence number to the clock reading when its request was sent. */
    private final Map<Integer, Long> outstanding = new HashMap<>();
    private final Map<Integer, EchoReply> replies = new HashMap<>();
    private boolean closed;

    EchoSession(Ipv4Layer layer, Inet4Address destination, int identifier) {
        this.layer = layer;
        this.destination = destination;
        this.destinationAddress = Bytes.address(destination);
        this.identifier = identifier;
    }

    public Inet4Address destination() {
        return destination;
    }

    /** The ICMP identifier, unique among the open sessions of the layer. */
    public int identifier() {
        return identifier;
    }

    /**
     * Sends echo request {@code sequence} with {@code dataSize} bytes of data.
     *
     * @throws IOException when no attached interface covers the destination, or its link is down:
     *                     nothing was sent
     */
    public void send(int sequence, int dataSize) throws IOException {
        if (sequence < 0 || sequence > 0xffff) {
            throw new IllegalArgumentException("sequence " + sequence + " is outside 0-65535");
        }
        if (dataSize < 0 || dataSize > Udp.MAX_DATA) {
            throw new IllegalArgumentException("data size " + dataSize + " is outside 0-" + Udp.MAX_DATA);
        }
        synchronized (lock) {
            if (closed) {
                throw new IOException("echo session to " + destination.getHostAddress() + " is closed");
            }
            // Recorded before sending: the reply may come back before send returns.
            outstanding.put(sequence, layer.now());
            replies.remove(sequence);
        }
        try {
            layer.sendEcho(this, destinationAddress, sequence, dataSize);
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                outstanding.remove(sequence);
            }
            throw e;
        }
    }

    /**
     * Waits up to {@code timeout} for the reply to {@code sequence}. After a timeout the request is
     * given up: a later reply to it is not matched.
     */
    public Optional<EchoReply> await(int sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                EchoReply r = replies.remove(sequence);
                if (r != null) {
                    return Optional.of(r);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    outstanding.remove(sequence);
                    return Optional.empty();
                }
                lock.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }

    /** A reply from {@code source} for {@code sequence}: true when it matched an outstanding request. */
    boolean replied(int source, int sequence, int ttl, int dataSize, long now) {
        if (source != destinationAddress) {
            return false;
        }
        synchronized (lock) {
            Long sent = outstanding.remove(sequence);
            if (sent == null) {
                return false;
            }
            replies.put(sequence, new EchoReply(sequence, ttl, dataSize, (now - sent) / 1e6));
            lock.notifyAll();
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            outstanding.clear();
            lock.notifyAll();
        }
        layer.closeEcho(this);
    }

    @Override
    public String toString() {
        return "echo session " + identifier + " to " + destination.getHostAddress();
    }
}
