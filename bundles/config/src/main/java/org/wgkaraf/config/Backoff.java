package org.wgkaraf.config;

/** The delay before retrying a failed start: 1 s, doubling up to 60 s, back to 1 s after a success. */
final class Backoff {
    static final long FIRST_SECONDS = 1;
    static final long MAX_SECONDS = 60;

    private long next = FIRST_SECONDS;

    /** The delay for this failure; the next one waits twice as long, up to {@link #MAX_SECONDS}. */
    long nextDelaySeconds() {
        long d = next;
        next = Math.min(MAX_SECONDS, next * 2);
        return d;
    }

    void reset() {
        next = FIRST_SECONDS;
    }
}
