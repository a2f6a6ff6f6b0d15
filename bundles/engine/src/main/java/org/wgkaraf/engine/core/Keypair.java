package org.wgkaraf.engine.core;

import java.util.Arrays;
import org.wgkaraf.api.engine.DropReason;
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

    /**
     * Frames, pads to 16 and seals {@code len} bytes of {@code packet} as the next transport
     * message (whitepaper 5.4.6) into {@code out}, from its start. Returns the message's length.
     */
    int seal(byte[] packet, int off, int len, byte[] out) {
        long counter = sendCounter++;
        int padded = (len + 15) & ~15;
        Messages.header(out, 0, Messages.TYPE_TRANSPORT);
        Messages.putInt(out, Messages.TRANSPORT_RECEIVER, remoteIndex);
        Messages.putLong(out, Messages.TRANSPORT_COUNTER, counter);
        System.arraycopy(packet, off, out, Messages.TRANSPORT_HEADER_SIZE, len);
        Arrays.fill(out, Messages.TRANSPORT_HEADER_SIZE + len, Messages.TRANSPORT_HEADER_SIZE + padded, (byte) 0);
        return Messages.TRANSPORT_HEADER_SIZE
                + sending.seal(counter, out, Messages.TRANSPORT_HEADER_SIZE, padded, out, Messages.TRANSPORT_HEADER_SIZE);
    }

    /**
     * Opens the transport message of {@code len} bytes at {@code buf[off]} in place: the replay
     * window first (cheap), then the AEAD, then the window again, now that the counter is
     * authentic. Returns the plaintext's length (at {@code off + TRANSPORT_HEADER_SIZE}), or -1
     * with the reason counted.
     */
    int open(byte[] buf, int off, int len, long now, Drops drops) {
        if (!canReceive(now)) {
            drops.count(DropReason.KEY_EXPIRED);
            return -1;
        }
        long counter = Messages.getLong(buf, off + Messages.TRANSPORT_COUNTER);
        if (!replay.check(counter)) {
            drops.count(DropReason.REPLAYED);
            return -1;
        }
        int dataOff = off + Messages.TRANSPORT_HEADER_SIZE;
        int plainLen = receiving.open(counter, buf, dataOff, len - Messages.TRANSPORT_HEADER_SIZE, buf, dataOff);
        if (plainLen < 0) {
            drops.count(DropReason.DECRYPT_FAILED);
            return -1;
        }
        if (!replay.accept(counter, Constants.REJECT_AFTER_MESSAGES)) {
            drops.count(DropReason.REPLAYED);
            return -1;
        }
        return plainLen;
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
