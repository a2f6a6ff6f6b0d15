package org.wgkaraf.netif.tcp;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * One direction of an in-memory link between two IPv4 layers: what one sends is copied, queued
 * and handed to the other's interface on this wire's own thread, as a tunnel's receive thread
 * would. It may drop a share of packets. A full queue drops, as a congested path does.
 */
final class Wire implements PacketSink, AutoCloseable {
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4096);
    private final Thread thread;
    private final Random random = new Random(7);
    private volatile VirtualBackend.Attachment to;
    private volatile boolean open = true;
    volatile double loss;
    final AtomicLong carried = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    Wire(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void connect(VirtualBackend.Attachment to) {
        this.to = to;
    }

    @Override
    public void deliver(byte[] packet, int offset, int length) {
        if (loss > 0 && random.nextDouble() < loss || !queue.offer(Arrays.copyOfRange(packet, offset, offset + length))) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        try {
            while (open) {
                byte[] p = queue.poll(100, TimeUnit.MILLISECONDS);
                VirtualBackend.Attachment t = to;
                if (p != null && t != null) {
                    t.input(p, 0, p.length);
                    carried.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
