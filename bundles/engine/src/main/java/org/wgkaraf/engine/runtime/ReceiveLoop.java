package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.engine.core.CoreOutput;
import org.wgkaraf.engine.core.Device;
import org.wgkaraf.engine.core.TimeSource;

/**
 * The tunnel's receive thread, {@code wg-receive-<tunnel>}: takes each datagram from the socket,
 * hands it to the device under the engine lock, and delivers the inner packet it yields to the
 * {@link PacketSink} after releasing that lock.
 *
 * <p>When no datagram is waiting, before it waits for one, it tells the sink
 * ({@link PacketSink#flush()}), which may have held packets back to pass them on together.
 *
 * <p>It owns its receive buffer: the device decrypts in place in it, and the sink reads the inner
 * packet from it, so nothing is copied or allocated per packet. It follows socket swaps without
 * noticing ({@link UdpSocket#receive}) and ends when the socket is closed for good.
 *
 * <p>Why the sink is called without the lock: it may send through this tunnel from inside the
 * call (the userspace backend answers a ping), or wait for another thread that does (a TCP layer
 * holding a connection's lock). Under the engine lock either would re-enter the device or
 * deadlock.
 */
final class ReceiveLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);
    /** The largest UDP payload, and a margin that shows an oversize datagram as one. */
    static final int BUFFER_SIZE = 65536 + 64;

    private final String tunnel;
    private final UdpSocket socket;
    private final ReentrantLock lock;
    private final Device device;
    private final CoreOutput output;
    private final TimeSource time;
    private final TimerLoop timers;
    private final PacketSink sink;
    private final Consumer<String> errors;
    private final Thread thread;
    /** A packet was delivered since the sink was last told that none is waiting. Receive thread only. */
    private boolean unflushed;
    private final Runnable idle = this::idle;

    ReceiveLoop(String tunnel, UdpSocket socket, ReentrantLock lock, Device device, CoreOutput output, TimeSource time,
                TimerLoop timers, PacketSink sink, Consumer<String> errors) {
        this.tunnel = tunnel;
        this.socket = socket;
        this.lock = lock;
        this.device = device;
        this.output = output;
        this.time = time;
        this.timers = timers;
        this.sink = sink;
        this.errors = errors;
        this.thread = new Thread(this::run, "wg-receive-" + tunnel);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            receiveUntilClosed();
        } finally {
            socket.receiverDone();
        }
    }

    private void receiveUntilClosed() {
        byte[] buf = new byte[BUFFER_SIZE];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        while (true) {
            SocketAddress from;
            try {
                bb.clear();
                from = socket.receive(bb, idle);
            } catch (ClosedChannelException e) {
                errors.accept("socket closed unexpectedly");
                return;
            } catch (IOException e) {
                errors.accept("receive failed: " + e.getMessage());
                continue;
            }
            if (from == null) {
                return; // the tunnel closed
            }
            if (from instanceof InetSocketAddress source) {
                int inner = process(buf, bb.position(), source);
                if (inner > 0) {
                    deliver(buf, Device.INNER_OFFSET, inner);
                    unflushed = true;
                }
            }
        }
    }

    /** Under the lock: the device takes the datagram; returns the length of the inner packet it yields. */
    private int process(byte[] buf, int len, InetSocketAddress source) {
        lock.lock();
        try {
            int inner = 0;
            if (len >= BUFFER_SIZE) {
                device.countDrop(DropReason.OVERSIZE);
            } else {
                inner = device.receive(buf, 0, len, source, time.nanoTime(), output);
            }
            timers.wakeIfEarlier();
            return inner;
        } catch (RuntimeException e) {
            // Nothing in a datagram may stop the loop: count it and go on.
            device.countDrop(DropReason.MALFORMED);
            LOG.debug("datagram from {} dropped: {}", source, e.toString());
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** When no datagram is waiting: the sink passes on what it held back. Without the lock; a failure costs nothing else. */
    private void idle() {
        if (unflushed) {
            unflushed = false;
            try {
                sink.flush();
            } catch (RuntimeException e) {
                LOG.warn("tunnel {}: packet sink failed to flush", tunnel, e);
            }
        }
    }

    /** Without the lock. A failing sink costs the packet, never the thread. */
    private void deliver(byte[] buf, int off, int len) {
        try {
            sink.deliver(buf, off, len);
        } catch (RuntimeException e) {
            LOG.warn("tunnel {}: packet sink failed", tunnel, e);
        }
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
