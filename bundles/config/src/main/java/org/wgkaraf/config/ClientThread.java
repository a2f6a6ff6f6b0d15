package org.wgkaraf.config;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread, {@code wireguard-client}, that every event of the client runs on: so network
 * events, configuration updates, commands and timers never interleave, and the client's state
 * needs no lock. Events are queued ({@link #run}); commands that want their effect done before
 * they return wait for it ({@link #call}, at most 30 s).
 */
final class ClientThread {
    static final long CALL_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(ClientThread.class);

    private final ScheduledThreadPoolExecutor executor;

    ClientThread(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Queues an event; dropped (with a debug line) once the thread is stopping. */
    void run(Runnable action) {
        try {
            executor.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("WireGuard client action failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("WireGuard client is stopping; event ignored");
        }
    }

    /** Runs on the thread and waits; null when the thread is stopping or this one is interrupted. */
    <T> T call(Callable<T> action) {
        try {
            Future<T> f = executor.submit(action);
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the WireGuard client is busy; try again", e);
        }
    }

    ScheduledFuture<?> schedule(Runnable action, long delay, TimeUnit unit) {
        return executor.schedule(action, delay, unit);
    }

    void every(Runnable action, long period, TimeUnit unit) {
        executor.scheduleAtFixedRate(action, period, period, unit);
    }

    /** Stops the thread (pending events are dropped) and waits for it, at most 5 s. */
    void stop() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the wireguard-client thread did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
