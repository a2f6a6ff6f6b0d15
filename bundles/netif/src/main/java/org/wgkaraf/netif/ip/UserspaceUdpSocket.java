package org.wgkaraf.netif.ip;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.wgkaraf.api.netif.UdpSocket;

/**
 * A UDP socket of the layer: bound to a port on every attached interface, with a bounded queue of
 * received datagrams. A full queue drops what arrives (counted), as a kernel socket buffer does.
 */
final class UserspaceUdpSocket implements UdpSocket {
    private final Ipv4Layer layer;
    private final int port;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Datagram> queue;
    private boolean closed;

    UserspaceUdpSocket(Ipv4Layer layer, int port, int capacity) {
        this.layer = layer;
        this.port = port;
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(capacity);
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public void send(Inet4Address destination, int destinationPort, byte[] data, int offset, int length) throws IOException {
        if (isClosed()) {
            throw new IOException("UDP socket on port " + port + " is closed");
        }
        layer.sendUdp(port, destination, destinationPort, data, offset, length);
    }

    @Override
    public Datagram receive(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = arrived.awaitNanos(nanos);
            }
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a received datagram; the reason it was dropped, or null. */
    DropReason offer(int source, int sourcePort, byte[] b, int offset, int length) {
        lock.lock();
        try {
            if (closed) {
                return DropReason.UDP_PORT_CLOSED;
            }
            if (queue.size() >= capacity) {
                return DropReason.UDP_QUEUE_FULL;
            }
            queue.add(new Datagram(Bytes.address(source), sourcePort, Arrays.copyOfRange(b, offset, offset + length)));
            arrived.signal();
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        layer.unbind(port, this);
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "UDP socket on port " + port;
    }
}
