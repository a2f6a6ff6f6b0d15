package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.PublicKey;

/** One peer of a {@link Device}: its keys, endpoint, handshake, sessions, timers, queue and counters. */
public final class Peer {
    final byte[] publicKey;
    final PublicKey publicKeyValue;
    /**
     * DH(our static, its static): constant for the pair of keys, so computed once when the peer
     * is added (its key and ours never change for the life of this object) and zeroed by
     * {@link #destroy}.
     */
    final byte[] staticStatic = new byte[32];
    /** Where our initiations to this peer start: {@link Noise#wireGuardStart} of its public key. */
    final byte[] initiationStart = new byte[32];
    final byte[] presharedKey = new byte[32];
    long persistentKeepaliveInterval;
    PeerConfig config;

    InetSocketAddress endpoint;

    final Handshake handshake = new Handshake();
    final CookieGenerator cookies;
    final Timers timers;

    final Keypairs keypairs;

    /** Packets waiting for a session. */
    final ArrayDeque<byte[]> staged = new ArrayDeque<>();

    long rxBytes;
    long txBytes;
    long rxPackets;
    long txPackets;
    /** Monotonic and wall-clock time of the latest completed handshake. */
    long lastHandshakeNanos;
    long lastHandshakeWallNanos;
    boolean hasHandshake;
    String lastError;

    Peer(PeerConfig config, Random jitter, IndexTable indices) {
        this.publicKey = config.publicKey().toBytes();
        this.publicKeyValue = config.publicKey();
        this.cookies = new CookieGenerator(publicKey);
        Noise.wireGuardStart(publicKey, initiationStart);
        this.timers = new Timers(jitter);
        this.keypairs = new Keypairs(indices);
        apply(config);
    }

    /** Takes the settings that can change without a new peer: pre-shared key, keepalive. */
    void apply(PeerConfig config) {
        this.config = config;
        Arrays.fill(presharedKey, (byte) 0);
        if (config.presharedKey() != null) {
            byte[] psk = config.presharedKey().toBytes();
            System.arraycopy(psk, 0, presharedKey, 0, 32);
            Arrays.fill(psk, (byte) 0);
        }
        persistentKeepaliveInterval = config.persistentKeepaliveSeconds() * 1_000_000_000L;
        if (persistentKeepaliveInterval == 0) {
            timers.persistentKeepalive = Timers.NEVER;
        }
    }

    /** Sends a datagram to this peer's endpoint, if it has one. */
    void send(byte[] buf, int off, int len, CoreOutput output) {
        if (endpoint != null) {
            output.sendDatagram(endpoint, buf, off, len);
        }
    }

    /** A handshake completed and its session is confirmed (we got the response, or the initiator's first packet). */
    void sessionConfirmed(long now, long wallNanos) {
        timers.handshakeComplete();
        lastHandshakeNanos = now;
        lastHandshakeWallNanos = wallNanos;
        hasHandshake = true;
        lastError = null;
    }

    /** What {@code wg show} would say of this peer. */
    PeerStatus status(long now) {
        Instant latest = hasHandshake ? Instant.ofEpochSecond(0, lastHandshakeWallNanos) : null;
        return new PeerStatus(publicKeyValue, endpoint, isUp(now), latest, rxBytes, txBytes, rxPackets, txPackets,
                config.persistentKeepaliveSeconds(), lastError);
    }

    public PublicKey publicKey() {
        return publicKeyValue;
    }

    public PeerConfig config() {
        return config;
    }

    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /** The latest handshake is younger than REJECT_AFTER_TIME. */
    public boolean isUp(long now) {
        return hasHandshake && now - lastHandshakeNanos < Constants.REJECT_AFTER_TIME;
    }

    public int handshakeAttempts() {
        return timers.handshakeAttempts;
    }

    /** Zeroes everything secret this peer holds. */
    void destroy() {
        Arrays.fill(staticStatic, (byte) 0);
        Arrays.fill(presharedKey, (byte) 0);
        handshake.clear();
        cookies.destroy();
        staged.clear();
        timers.stopAll();
    }

    @Override
    public String toString() {
        return "Peer[" + publicKeyValue.toBase64().substring(0, 8) + "…]";
    }
}
