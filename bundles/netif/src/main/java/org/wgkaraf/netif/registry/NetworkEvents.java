package org.wgkaraf.netif.registry;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Uplink;

/**
 * Delivers network events to the listeners on one thread, in the order the uplink changed. A
 * listener that throws is logged and the others are still told.
 *
 * <p>The caller must serialize {@link #uplinkMoved} and {@link #add} (the registry does so under
 * its lock): a new listener is then told the uplink as of its place in the stream, and gets every
 * later event and none before it.
 */
final class NetworkEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkEvents.class);
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private sealed interface Task permits Ready, Gone, Changed, Welcome {
    }

    private record Ready(Uplink uplink) implements Task {
    }

    private record Gone() implements Task {
    }

    private record Changed(Uplink previous, Uplink current) implements Task {
    }

    /** A listener joins, with the uplink there was when it was added (null: none). */
    private record Welcome(NetworkListener listener, Uplink uplink) implements Task {
    }

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    /** Listeners added and not removed; a removal takes effect at once, even before the welcome. */
    private final Set<NetworkListener> wanted = ConcurrentHashMap.newKeySet();
    /** Listeners that were welcomed: only they are told events. */
    private final Set<NetworkListener> active = new CopyOnWriteArraySet<>();
    private final Thread thread;
    private volatile boolean closed;

    NetworkEvents(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues the event that takes the uplink from {@code previous} to {@code current} (null: none), if any. */
    void uplinkMoved(Uplink previous, Uplink current) {
        if (Objects.equals(previous, current)) {
            return;
        }
        if (previous == null) {
            queue.add(new Ready(current));
        } else if (current == null) {
            queue.add(new Gone());
        } else {
            queue.add(new Changed(previous, current));
        }
    }

    /** Adds a listener that will first be told {@code networkReady(current)} if {@code current} is not null. */
    void add(NetworkListener listener, Uplink current) {
        Objects.requireNonNull(listener, "listener");
        if (wanted.add(listener)) {
            queue.add(new Welcome(listener, current));
        }
    }

    /** After this returns the listener is called no more, except in a call that is under way. */
    void remove(NetworkListener listener) {
        wanted.remove(listener);
        active.remove(listener);
    }

    private void run() {
        while (!closed) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            deliver(task);
        }
    }

    private void deliver(Task task) {
        if (task instanceof Welcome w) {
            // Added again after a removal whose welcome is still queued: welcomed once only.
            if (wanted.contains(w.listener()) && active.add(w.listener()) && w.uplink() != null) {
                tell(w.listener(), task, l -> l.networkReady(w.uplink()));
            }
            return;
        }
        for (NetworkListener l : active) {
            if (task instanceof Ready r) {
                tell(l, task, x -> x.networkReady(r.uplink()));
            } else if (task instanceof Changed c) {
                tell(l, task, x -> x.uplinkChanged(c.previous(), c.current()));
            } else {
                tell(l, task, NetworkListener::networkGone);
            }
        }
    }

    private static void tell(NetworkListener listener, Task task, Consumer<NetworkListener> call) {
        try {
            call.accept(listener);
        } catch (Exception | LinkageError e) {
            LOG.warn("network listener {} failed on {}; the other listeners are still told", listener, task, e);
        }
    }

    /** Stops the thread; queued events are dropped. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() == thread) {
            return; // a listener closed the registry: the loop ends when it returns
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("network event thread still busy in a listener {} ms after close", CLOSE_WAIT_MILLIS);
        }
        queue.clear();
        active.clear();
        wanted.clear();
    }
}
