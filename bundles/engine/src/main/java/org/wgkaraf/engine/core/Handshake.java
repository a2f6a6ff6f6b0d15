package org.wgkaraf.engine.core;

/** The handshake state of one peer (whitepaper 5.4.2-5.4.4). */
final class Handshake {
    enum State {
        /** No handshake in progress. */
        NONE,
        /** We sent an initiation and wait for the response. */
        INITIATION_SENT
    }

    State state = State.NONE;
    /** The Noise state of the initiation we sent, kept until its response arrives. */
    Noise noise;
    /** Our index of the initiation we sent, while state is INITIATION_SENT. */
    int localIndex;
    /** Monotonic time we last sent an initiation; initiations go out at most every REKEY_TIMEOUT. */
    long lastSentAt;
    boolean sentAny;
    /** Monotonic time we last accepted an initiation from this peer (flood limit). */
    long lastInitiationConsumedAt;
    boolean consumedAny;
    /** Greatest TAI64N timestamp seen in this peer's initiations: older ones are replays. */
    final byte[] greatestTimestamp = new byte[Constants.TIMESTAMP_SIZE];
    boolean hasTimestamp;

    void clear() {
        if (noise != null) {
            noise.destroy();
            noise = null;
        }
        state = State.NONE;
    }
}
