package org.wgkaraf.engine.core;

import java.util.Random;

/**
 * The five timers of a peer (whitepaper section 6), as deadlines in monotonic nanoseconds, and one
 * hook per protocol event that arms or stops them. {@link Device#tick} runs the expired ones.
 */
final class Timers {
    static final long NEVER = Long.MAX_VALUE;

    /** Resend the initiation when no response came (REKEY_TIMEOUT + jitter). */
    long retransmitHandshake = NEVER;
    /** Send a keepalive when we received data and sent nothing back (KEEPALIVE_TIMEOUT). */
    long sendKeepalive = NEVER;
    /** Start a new handshake when data we sent was not answered (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT). */
    long newHandshake = NEVER;
    /** Zero every key of the peer after REJECT_AFTER_TIME * 3 without a new session. */
    long zeroKeyMaterial = NEVER;
    /** The user's persistent keepalive interval after the last authenticated packet. */
    long persistentKeepalive = NEVER;

    int handshakeAttempts;
    boolean needAnotherKeepalive;
    boolean sentLastMinuteHandshake;

    private final Random jitter;

    Timers(Random jitter) {
        this.jitter = jitter;
    }

    long jitter() {
        return (long) (jitter.nextDouble() * Constants.REKEY_TIMEOUT_JITTER_MAX);
    }

    static boolean pending(long deadline) {
        return deadline != NEVER;
    }

    /** We sent a data packet (not a keepalive). */
    void dataSent(long now) {
        if (!pending(newHandshake)) {
            newHandshake = now + Constants.KEEPALIVE_TIMEOUT + Constants.REKEY_TIMEOUT + jitter();
        }
    }

    /** We received a data packet (not a keepalive). */
    void dataReceived(long now) {
        if (!pending(sendKeepalive)) {
            sendKeepalive = now + Constants.KEEPALIVE_TIMEOUT;
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** We sent any authenticated packet: it answers the peer, no keepalive needed. */
    void anyAuthenticatedPacketSent() {
        sendKeepalive = NEVER;
    }

    /** We received any authenticated packet: the peer is alive. */
    void anyAuthenticatedPacketReceived() {
        newHandshake = NEVER;
    }

    /** We sent or received any authenticated packet: restart the persistent keepalive. */
    void anyAuthenticatedPacketTraversal(long now, long persistentInterval) {
        if (persistentInterval > 0) {
            persistentKeepalive = now + persistentInterval;
        }
    }

    /** We sent a handshake initiation. */
    void handshakeInitiated(long now) {
        retransmitHandshake = now + Constants.REKEY_TIMEOUT + jitter();
    }

    /** A handshake completed (response consumed, or first data on a responder's keypair). */
    void handshakeComplete() {
        retransmitHandshake = NEVER;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /** New transport keys were derived. */
    void sessionDerived(long now) {
        zeroKeyMaterial = now + 3 * Constants.REJECT_AFTER_TIME;
    }

    void stopAll() {
        retransmitHandshake = NEVER;
        sendKeepalive = NEVER;
        newHandshake = NEVER;
        zeroKeyMaterial = NEVER;
        persistentKeepalive = NEVER;
    }

    long nextDeadline() {
        return Math.min(Math.min(retransmitHandshake, sendKeepalive),
                Math.min(Math.min(newHandshake, zeroKeyMaterial), persistentKeepalive));
    }
}
