package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import org.wgkaraf.api.engine.DropReason;

/**
 * Admits handshake messages, cheapest check first, before any public-key work (whitepaper 5.3
 * and 5.4.7). MAC1 must be valid. Above {@link Constants#UNDER_LOAD_HANDSHAKES_PER_SECOND}
 * handshake messages in one second the device is under load (and stays so for
 * {@link Constants#UNDER_LOAD_AFTER_TIME} after the rate falls): then a message also needs a valid
 * MAC2, a cookie that proves its source address, or gets a cookie reply instead of an answer;
 * and its source must pass the {@link RateLimiter}.
 */
final class LoadMonitor {
    /** What becomes of a handshake message. */
    enum Admission {
        /** Go on with the handshake. */
        ADMITTED,
        /** Dropped: the MAC1 is wrong (not for us, or damaged). */
        BAD_MAC1,
        /** Under load and no valid cookie: send the cookie reply written to the caller's buffer. */
        SEND_COOKIE_REPLY,
        /** Under load, and this source sends too many. */
        RATE_LIMITED;

        DropReason dropReason() {
            return switch (this) {
                case ADMITTED -> null;
                case BAD_MAC1 -> DropReason.BAD_MAC1;
                case SEND_COOKIE_REPLY -> DropReason.COOKIE_REQUIRED;
                case RATE_LIMITED -> DropReason.RATE_LIMITED;
            };
        }
    }

    private final CookieChecker cookies;
    private final RateLimiter rateLimiter = new RateLimiter();
    private long windowStart;
    private int handshakesInWindow;
    private long underLoadUntil = Long.MIN_VALUE;

    LoadMonitor(CookieChecker cookies) {
        this.cookies = cookies;
    }

    /**
     * Checks a handshake message of {@code len} bytes at {@code buf[off]} from {@code source}. For
     * {@link Admission#SEND_COOKIE_REPLY} the reply (COOKIE_REPLY_SIZE bytes) is in {@code replyOut}.
     */
    Admission admit(byte[] buf, int off, int len, InetSocketAddress source, long now, byte[] replyOut) {
        if (!cookies.checkMac1(buf, off, len)) {
            return Admission.BAD_MAC1;
        }
        if (!handshakeArrived(now)) {
            return Admission.ADMITTED;
        }
        if (!cookies.checkMac2(buf, off, len, source, now)) {
            int sender = Messages.getInt(buf, off + Messages.INITIATION_SENDER);
            cookies.createReply(buf, off, len, sender, source, now, replyOut);
            return Admission.SEND_COOKIE_REPLY;
        }
        return rateLimiter.allow(source.getAddress(), now) ? Admission.ADMITTED : Admission.RATE_LIMITED;
    }

    /** Counts a handshake message in the current second; returns whether the device is under load now. */
    private boolean handshakeArrived(long now) {
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            handshakesInWindow = 0;
        }
        if (++handshakesInWindow > Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND) {
            underLoadUntil = now + Constants.UNDER_LOAD_AFTER_TIME;
        }
        return now < underLoadUntil;
    }

    boolean isUnderLoad(long now) {
        return now < underLoadUntil;
    }

    void destroy() {
        cookies.destroy();
    }
}
