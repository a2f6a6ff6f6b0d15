package org.wgkaraf.netif.tcp;

import java.util.ArrayDeque;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * A port listened on in the userspace layer: where SYNs for it create connections, the
 * half-open ones (SYN-RECEIVED) kept oldest first for the SYN flood defence, and the queue that
 * established ones go to. Its lock is taken under a connection's lock, never the other way round,
 * and nothing is called while it is held.
 */
final class UserspaceListener implements AutoCloseable {
    private final UserspaceTcp layer;
    final int port;
    final AcceptQueue queue;
    private final ArrayDeque<UserspaceConnection> halfOpen = new ArrayDeque<>();
    private boolean closed;

    UserspaceListener(UserspaceTcp layer, int port, AcceptQueue queue) {
        this.layer = layer;
        this.port = port;
        this.queue = queue;
    }

    /** @return false when the listener closed meanwhile */
    synchronized boolean addHalfOpen(UserspaceConnection c) {
        if (closed) {
            return false;
        }
        halfOpen.add(c);
        return true;
    }

    synchronized int halfOpenCount() {
        return halfOpen.size();
    }

    /** The oldest half-open connection, taken out of the listener's care; null when none. */
    synchronized UserspaceConnection takeOldestHalfOpen() {
        return halfOpen.poll();
    }

    /** A half-open connection ended or was established. */
    synchronized void forget(UserspaceConnection c) {
        halfOpen.remove(c);
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Stops listening: the port is free again, and connections not yet established are reset. */
    @Override
    public void close() {
        UserspaceConnection[] pending;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = halfOpen.toArray(new UserspaceConnection[0]);
            halfOpen.clear();
        }
        layer.unlisten(this);
        for (UserspaceConnection c : pending) {
            c.abort();
        }
    }
}
