package org.wgkaraf.engine.core;

import java.util.Random;

/**
 * The five timers of a peer (whitepaper section 6), and one of ours (resending an initiator's
 * key confirmation, {@link Constants#CONFIRMATION_RESEND}), as deadlines in monotonic
 * nanoseconds: one hook per protocol event that arms or stops them, and what each does when it
 * expires ({@link #runExpired}, called by {@link Device#tick}). The timer rules are all here.
 */
final class Timers {
    /** How the device sends a keepalive: an empty transport packet, or a handshake if there is no session. */
    @FunctionalInterface
    interface Keepalive {
        void send(Peer peer, long now, CoreOutput output);
    }

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
    /** Check that the responder got our key confirmation (CONFIRMATION_RESEND after sending it). */
    long resendConfirmation = NEVER;

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

    /** As initiator we completed a handshake and sent the confirming packet on the new session. */
    void confirmationSent(long now) {
        resendConfirmation = now + Constants.CONFIRMATION_RESEND;
    }

    /** New transport keys were derived. */
    void sessionDerived(long now) {
        zeroKeyMaterial = now + 3 * Constants.REJECT_AFTER_TIME;
    }

    // ------------------------------------------------------------------ expiry

    /** Runs each of {@code peer}'s timers whose deadline has passed, once. */
    void runExpired(Peer peer, long now, HandshakeProtocol handshakes, Keepalive keepalive, CoreOutput output) {
        if (retransmitHandshake <= now) {
            retransmitHandshake = NEVER;
            expiredRetransmitHandshake(peer, now, handshakes, output);
        }
        if (sendKeepalive <= now) {
            sendKeepalive = NEVER;
            expiredSendKeepalive(peer, now, keepalive, output);
        }
        if (newHandshake <= now) {
            newHandshake = NEVER;
            expiredNewHandshake(peer, now, handshakes, output);
        }
        if (zeroKeyMaterial <= now) {
            zeroKeyMaterial = NEVER;
            handshakes.forgetSessions(peer);
        }
        if (persistentKeepalive <= now) {
            persistentKeepalive = NEVER;
            if (peer.persistentKeepaliveInterval > 0) {
                keepalive.send(peer, now, output);
            }
        }
        if (resendConfirmation <= now) {
            resendConfirmation = NEVER;
            expiredResendConfirmation(peer, now, keepalive, output);
        }
    }

    /**
     * Our key confirmation drew no answer: if it is still the only packet we sent on the session
     * and nothing came back on it, it may have been lost, and the responder cannot send until it
     * has one. One keepalive more; sent or not, the timer is not armed again.
     */
    private void expiredResendConfirmation(Peer peer, long now, Keepalive keepalive, CoreOutput output) {
        Keypair kp = peer.keypairs.current;
        if (kp != null && kp.initiator && !kp.replay.acceptedAny() && kp.sendCounter == 1 && kp.canSend(now)) {
            keepalive.send(peer, now, output);
        }
    }

    /** No response to our initiation: try again, up to REKEY_ATTEMPT_TIME, then give up until new traffic. */
    private void expiredRetransmitHandshake(Peer peer, long now, HandshakeProtocol handshakes, CoreOutput output) {
        if (handshakeAttempts > Constants.MAX_TIMER_HANDSHAKES) {
            peer.lastError = "no handshake answer for " + Constants.REKEY_ATTEMPT_TIME / 1_000_000_000L + " s";
            sendKeepalive = NEVER;
            peer.staged.clear();
            // Keys we still hold are zeroed in a while, unless a handshake succeeds first.
            if (!pending(zeroKeyMaterial)) {
                zeroKeyMaterial = now + 3 * Constants.REJECT_AFTER_TIME;
            }
            return;
        }
        handshakeAttempts++;
        if (handshakeAttempts > 1) {
            peer.lastError = "handshake not answered (" + handshakeAttempts + " attempts)";
        }
        // The endpoint may have moved (dynamic DNS): the runtime may look its name up again.
        output.endpointStale(peer);
        handshakes.initiate(peer, true, now, output);
    }

    /** We received data and sent nothing back for KEEPALIVE_TIMEOUT: tell the peer we are alive. */
    private void expiredSendKeepalive(Peer peer, long now, Keepalive keepalive, CoreOutput output) {
        keepalive.send(peer, now, output);
        if (needAnotherKeepalive) {
            needAnotherKeepalive = false;
            sendKeepalive = now + Constants.KEEPALIVE_TIMEOUT;
        }
    }

    /** We sent data and heard nothing back for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT: the session may be dead. */
    private void expiredNewHandshake(Peer peer, long now, HandshakeProtocol handshakes, CoreOutput output) {
        output.endpointStale(peer);
        handshakes.initiate(peer, false, now, output);
    }

    void stopAll() {
        retransmitHandshake = NEVER;
        sendKeepalive = NEVER;
        newHandshake = NEVER;
        zeroKeyMaterial = NEVER;
        persistentKeepalive = NEVER;
        resendConfirmation = NEVER;
    }

    long nextDeadline() {
        return Math.min(Math.min(Math.min(retransmitHandshake, sendKeepalive), resendConfirmation),
                Math.min(Math.min(newHandshake, zeroKeyMaterial), persistentKeepalive));
    }
}
