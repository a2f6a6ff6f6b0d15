package org.wgkaraf.engine.core;

import org.wgkaraf.engine.crypto.TransportCipher;

/**
 * The transport keys of one session: a sending and a receiving cipher, the sending counter and
 * the receiving replay window (whitepaper 5.4.6). Which slot it sits in (previous, current, next)
 * is the peer's business.
 */
final class Keypair {
    final Peer peer;
    final TransportCipher sending;
    final TransportCipher receiving;
    final ReplayWindow replay = new ReplayWindow();
    /** Monotonic time the keys were derived. */
    final long created;
    /** We sent the initiation; only the initiator rekeys by time (REKEY_AFTER_TIME). */
    final boolean initiator;
    final int localIndex;
    final int remoteIndex;
    long sendCounter;
    private boolean destroyed;

    Keypair(Peer peer, TransportCipher sending, TransportCipher receiving, long created, boolean initiator,
            int localIndex, int remoteIndex) {
        this.peer = peer;
        this.sending = sending;
        this.receiving = receiving;
        this.created = created;
        this.initiator = initiator;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
    }

    /** Usable for sending: not past REJECT_AFTER_TIME nor REJECT_AFTER_MESSAGES. */
    boolean canSend(long now) {
        return !destroyed && now - created < Constants.REJECT_AFTER_TIME
                && Long.compareUnsigned(sendCounter, Constants.REJECT_AFTER_MESSAGES) < 0;
    }

    /** Usable for receiving: not past REJECT_AFTER_TIME. */
    boolean canReceive(long now) {
        return !destroyed && now - created < Constants.REJECT_AFTER_TIME;
    }

    boolean destroyed() {
        return destroyed;
    }

    void destroy() {
        if (!destroyed) {
            destroyed = true;
            sending.destroy();
            receiving.destroy();
        }
    }

    @Override
    public String toString() {
        return "Keypair[local=" + Integer.toUnsignedString(localIndex) + ", initiator=" + initiator + "]";
    }
}
