package org.wgkaraf.engine.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time moves only when the test says so, and whose tasks run only on the test's
 * thread, in {@link #runDue()}. Nothing runs by itself: a test sees every task that is pending.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    private final class Task implements ScheduledFuture<Object> {
        final Runnable body;
        final long due;
        final long order = sequence++;
        boolean cancelled;
        boolean done;

        Task(Runnable body, long due) {
            this.body = body;
            this.due = due;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(due - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (done || cancelled) {
                    return false;
                }
                cancelled = true;
                tasks.remove(this);
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (ManualScheduler.this) {
                return cancelled;
            }
        }

        @Override
        public boolean isDone() {
            synchronized (ManualScheduler.this) {
                return done || cancelled;
            }
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a test runs the tasks itself");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a test runs the tasks itself");
        }
    }

    /** Tasks not yet run nor cancelled, due now or later. */
    synchronized int pending() {
        return tasks.size();
    }

    /** Runs every task due by now, including those that the tasks run schedule for now; returns how many ran. */
    int runDue() {
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= now)
                        .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    return ran;
                }
                tasks.remove(next);
                next.done = true;
            }
            next.body.run();
            ran++;
        }
    }

    /** Moves time forward and runs what fell due, in order of due time. */
    int advance(long amount, TimeUnit unit) {
        long end;
        synchronized (this) {
            end = now + unit.toNanos(amount);
        }
        int ran = 0;
        while (true) {
            synchronized (this) {
                long nextDue = tasks.stream().mapToLong(t -> t.due).filter(d -> d <= end).min().orElse(Long.MAX_VALUE);
                if (nextDue == Long.MAX_VALUE) {
                    now = end;
                    return ran;
                }
                now = Math.max(now, nextDue);
            }
            ran += runDue();
        }
    }

    private synchronized Task add(Runnable body, long delayNanos) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task t = new Task(body, now + Math.max(0, delayNanos));
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(delay));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        add(command, 0);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>();
        for (Task t : tasks) {
            left.add(t.body);
        }
        tasks.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
