package org.wgkaraf.netif.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.wgkaraf.api.netif.TcpConnection;

/**
 * Connections established on a listening port and not yet accepted, at most {@code backlog}, from
 * whichever backend carried them. A backend asks {@link #hasRoom()} before it answers a SYN, and
 * hands the connection over with {@link #offer} once established. Its lock is a leaf: nothing is
 * called while it is held.
 */
public final class AcceptQueue {
    private final int port;
    private final int backlog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<TcpConnection> ready = new ArrayDeque<>();
    private boolean closed;

    public AcceptQueue(int port, int backlog) {
        this.port = port;
        this.backlog = backlog;
    }

    public int port() {
        return port;
    }

    public int backlog() {
        return backlog;
    }

    /** Whether one more connection would fit now. */
    public boolean hasRoom() {
        lock.lock();
        try {
            return !closed && ready.size() < backlog;
        } finally {
            lock.unlock();
        }
    }

    /** @return false when the queue is full or closed: the caller must reset the connection */
    public boolean offer(TcpConnection c) {
        lock.lock();
        try {
            if (closed || ready.size() >= backlog) {
                return false;
            }
            ready.add(c);
            arrived.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next connection, waiting up to {@code timeout}.
     *
     * @return null when none came in time
     * @throws IOException once the queue is closed
     */
    public TcpConnection take(Duration timeout) throws IOException, InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (ready.isEmpty()) {
                if (closed) {
                    throw new IOException("the listener on TCP port " + port + " is closed");
                }
                if (nanos <= 0) {
                    return null;
                }
                nanos = arrived.awaitNanos(nanos);
            }
            return ready.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the queue, wakes waiting callers, and returns the connections nobody accepted. */
    public List<TcpConnection> close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
            List<TcpConnection> left = List.copyOf(ready);
            ready.clear();
            return left;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
