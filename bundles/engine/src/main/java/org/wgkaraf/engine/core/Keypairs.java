package org.wgkaraf.engine.core;

/**
 * A peer's three keypair slots (whitepaper 5.4.6 and 6.1) and their rotation: {@code current}
 * sends, {@code previous} still receives what the peer sent before it switched, {@code next} is
 * a responder's new keypair that waits for the initiator's first packet to confirm it. Also the
 * two rules that say when the current keypair is old enough to start a new handshake.
 *
 * <p>Every keypair that leaves the slots is destroyed (its keys zeroed) and its index freed.
 */
final class Keypairs {
    private final IndexTable indices;
    Keypair previous;
    Keypair current;
    Keypair next;

    Keypairs(IndexTable indices) {
        this.indices = indices;
    }

    /**
     * Puts a new keypair in its slot. The initiator has its confirmation (the response) and sends
     * with it at once: it becomes current. The responder's waits in next until the initiator uses it.
     */
    void install(Keypair kp) {
        if (kp.initiator) {
            if (next != null) {
                // A responder keypair never confirmed: it may still receive, as previous.
                Keypair unconfirmed = next;
                next = null;
                destroy(previous);
                previous = unconfirmed;
                destroy(current);
            } else {
                destroy(previous);
                previous = current;
            }
            current = kp;
        } else {
            destroy(next);
            next = kp;
            destroy(previous);
            previous = null;
        }
    }

    /**
     * A packet arrived on {@code kp}. If it is the next keypair, that is the initiator's key
     * confirmation: it becomes current. Returns true then (the handshake is complete).
     */
    boolean confirm(Keypair kp) {
        if (kp != next) {
            return false;
        }
        destroy(previous);
        previous = current;
        current = kp;
        next = null;
        return true;
    }

    /** Destroys all three. */
    void clear() {
        destroy(previous);
        destroy(current);
        destroy(next);
        previous = current = next = null;
    }

    private void destroy(Keypair kp) {
        if (kp != null) {
            indices.remove(kp.localIndex);
            kp.destroy();
        }
    }

    /** After sending on {@code kp}: the initiator rekeys after REKEY_AFTER_TIME, anyone after REKEY_AFTER_MESSAGES. */
    static boolean rekeyAfterSending(Keypair kp, long now) {
        return (kp.initiator && now - kp.created > Constants.REKEY_AFTER_TIME)
                || Long.compareUnsigned(kp.sendCounter, Constants.REKEY_AFTER_MESSAGES) > 0;
    }

    /**
     * After receiving: an initiator whose session nears REJECT_AFTER_TIME rekeys once, in case it
     * has nothing to send (the timers remember that it did, {@code sentLastMinuteHandshake}).
     */
    boolean rekeyBeforeExpiry(Timers timers, long now) {
        Keypair kp = current;
        return !timers.sentLastMinuteHandshake && kp != null && kp.initiator
                && now - kp.created > Constants.REJECT_AFTER_TIME - Constants.KEEPALIVE_TIMEOUT - Constants.REKEY_TIMEOUT;
    }
}
