package org.wgkaraf.netif.tcp;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections the layer holds in each category a limit of {@link TcpConfig} applies to,
 * and the checks against those limits. A connection moves between categories as its state
 * changes ({@link UserspaceConnection#updated}, under its own lock); the counts are atomic, so
 * no lock is shared between connections for them.
 */
final class ConnectionCounts {
    /** Not counted: closed (or not yet opened). */
    static final int GONE = 0;
    /** Counted against {@link TcpConfig#maxConnections}: every state but TIME-WAIT. */
    static final int ACTIVE = 1;
    /** Counted against {@link TcpConfig#maxTimeWait}. */
    static final int TIME_WAIT = 2;
    /** A passive connection in SYN-RECEIVED: counted against the half-open limits, and the connection limit. */
    static final int HALF_OPEN = 3;

    private final TcpConfig config;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger halfOpen = new AtomicInteger();
    private final AtomicInteger timeWait = new AtomicInteger();

    ConnectionCounts(TcpConfig config) {
        this.config = config;
    }

    /** The category of a connection in {@code state}; {@code halfOpenPassive}: it still belongs to its listener. */
    static int category(TcpState state, boolean halfOpenPassive) {
        return switch (state) {
            case CLOSED -> GONE;
            case TIME_WAIT -> TIME_WAIT;
            case SYN_RECEIVED -> halfOpenPassive ? HALF_OPEN : ACTIVE;
            default -> ACTIVE;
        };
    }

    /**
     * A connection moved from one category to another.
     *
     * @return false when it entered TIME-WAIT beyond the limit: the caller ends it at once
     */
    boolean recount(int from, int to) {
        counter(from, -1);
        counter(to, 1);
        return to != TIME_WAIT || timeWait.get() <= config.maxTimeWait();
    }

    private void counter(int category, int delta) {
        switch (category) {
            case ACTIVE -> active.addAndGet(delta);
            case HALF_OPEN -> halfOpen.addAndGet(delta);
            case TIME_WAIT -> timeWait.addAndGet(delta);
            default -> {
                // GONE is not counted
            }
        }
    }

    /** As many connections as the layer may hold, half-open ones included: no new one. */
    boolean atConnectionLimit() {
        return active.get() + halfOpen.get() >= config.maxConnections();
    }

    /** A SYN for a listener that has {@code ofPort} half-open connections needs room made first. */
    boolean halfOpenFull(int ofPort) {
        return halfOpen.get() >= config.maxHalfOpen() || ofPort >= config.maxHalfOpenPerPort() || atConnectionLimit();
    }

    int active() {
        return active.get();
    }

    int halfOpen() {
        return halfOpen.get();
    }

    int timeWait() {
        return timeWait.get();
    }
}
