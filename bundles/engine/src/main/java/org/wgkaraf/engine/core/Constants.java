package org.wgkaraf.engine.core;

import java.nio.charset.StandardCharsets;

/** Every protocol constant, with the whitepaper's names (section 6.1 and 5.4). */
public final class Constants {
    private Constants() {
    }

    private static final long SECOND = 1_000_000_000L;

    public static final byte[] CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] LABEL_COOKIE = "cookie--".getBytes(StandardCharsets.US_ASCII);

    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** 2^64 - 2^13 - 1, compared unsigned. */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;

    public static final long REKEY_AFTER_TIME = 120 * SECOND;
    public static final long REJECT_AFTER_TIME = 180 * SECOND;
    public static final long REKEY_ATTEMPT_TIME = 90 * SECOND;
    public static final long REKEY_TIMEOUT = 5 * SECOND;
    public static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
    /**
     * Ours, not the whitepaper's: an initiator whose only packet on a new session (its key
     * confirmation) drew no answer within this sends one keepalive more. A responder cannot send
     * on a session until that confirmation arrives, so one lost confirmation would otherwise leave
     * it mute until the initiator next sends (up to a persistent-keepalive interval) or gives up
     * and starts a handshake of its own (REKEY_TIMEOUT, 5 s, in wireguard-go).
     */
    public static final long CONFIRMATION_RESEND = SECOND;
    public static final long COOKIE_REFRESH_TIME = 120 * SECOND;
    /** Jitter added to handshake retries, so that two peers do not retry in lockstep. */
    public static final long REKEY_TIMEOUT_JITTER_MAX = 333_000_000L;
    /** Handshake attempts before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);
    /** Initiations accepted from one peer at most this often (50 per second). */
    public static final long HANDSHAKE_INITIATION_RATE = SECOND / 50;
    /** A cookie received is used for this long (the sender's secret lives COOKIE_REFRESH_TIME). */
    public static final long COOKIE_MAX_AGE = COOKIE_REFRESH_TIME - 5 * SECOND;

    /** Handshake messages in one second above which the tunnel is under load and asks for cookies. */
    public static final int UNDER_LOAD_HANDSHAKES_PER_SECOND = 128;
    /** How long the tunnel stays under load after the rate falls again. */
    public static final long UNDER_LOAD_AFTER_TIME = SECOND;

    /** Packets kept per peer while a handshake runs. */
    public static final int MAX_STAGED_PACKETS = 128;
    /** Largest inner packet the engine carries. */
    public static final int MAX_INNER_PACKET = 65535;

    public static final int KEY_SIZE = 32;
    public static final int TAG_SIZE = 16;
    public static final int MAC_SIZE = 16;
    public static final int TIMESTAMP_SIZE = 12;
}
