package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.engine.crypto.Blake2sKdf;
import org.wgkaraf.engine.crypto.TransportCipher;

/**
 * The handshake of one device (whitepaper 5.4.2 to 5.4.5). Two layers, top to bottom:
 * <ul>
 *   <li>the protocol events: {@link #initiate} (send an initiation, at most one per
 *       REKEY_TIMEOUT), {@link #respond} (an initiation came: answer it) and {@link #complete}
 *       (the response to ours came: the session is ours), each telling the peer's
 *       {@link Timers} and {@link Keypairs};</li>
 *   <li>the messages: creating and consuming the initiation and the response, and deriving the
 *       keypair a completed handshake yields. The Noise IKpsk2 pattern itself is {@link Noise};
 *       this adds WireGuard's framing, session indices, the TAI64N timestamp, the MACs, and the
 *       replay and flood rules for initiations.</li>
 * </ul>
 * MAC1, cookies and load come before this ({@link LoadMonitor}). A message refused here is
 * counted in {@link Drops}; nothing a peer sends makes it throw.
 */
final class HandshakeProtocol {
    private static final byte[] EMPTY = new byte[0];

    /** A consumed initiation: who sent it, its sender index, and the Noise state the response continues. */
    record Initiation(Peer peer, int remoteIndex, Noise noise) {
    }

    private final byte[] staticPrivate;
    private final byte[] staticPublic;
    private final Map<ByteBuffer, Peer> peers;
    private final IndexTable indices;
    private final SecureRandom random;
    private final TransportCipher.Factory aead;
    private final Tai64n tai64n;
    private final Drops drops;
    private final TimeSource time;
    private final byte[] timestamp = new byte[Constants.TIMESTAMP_SIZE];
    private final byte[] message = new byte[Messages.INITIATION_SIZE];
    /** The hashing scratch of every Noise state of this device (it runs under the device's lock). */
    private final Blake2sKdf kdf = new Blake2sKdf();
    /** Where an initiation to us starts: {@link Noise#wireGuardStart} of our public key. */
    private final byte[] responderStart = new byte[32];

    /**
     * @param staticPrivate our static private key; the device's own array, zeroed by the device
     * @param peers         the device's peers by public key
     */
    HandshakeProtocol(byte[] staticPrivate, byte[] staticPublic, Map<ByteBuffer, Peer> peers, IndexTable indices,
                      SecureRandom random, TransportCipher.Factory aead, Tai64n tai64n, TimeSource time, Drops drops) {
        this.time = time;
        this.staticPrivate = staticPrivate;
        this.staticPublic = staticPublic;
        this.peers = peers;
        this.indices = indices;
        this.random = random;
        this.aead = aead;
        this.tai64n = tai64n;
        this.drops = drops;
        Noise.wireGuardStart(staticPublic, responderStart);
    }

    // ------------------------------------------------------------------ protocol events

    /**
     * Sends an initiation to {@code peer}, unless one went out less than REKEY_TIMEOUT ago or its
     * endpoint is unknown. A retry (the retransmit timer) keeps counting attempts; anything else
     * starts the count again.
     */
    void initiate(Peer peer, boolean retry, long now, CoreOutput output) {
        if (!retry) {
            peer.timers.handshakeAttempts = 0;
        }
        Handshake hs = peer.handshake;
        if (hs.sentAny && now - hs.lastSentAt < Constants.REKEY_TIMEOUT) {
            return;
        }
        if (peer.endpoint == null) {
            peer.lastError = "no endpoint known for this peer";
            return;
        }
        hs.lastSentAt = now;
        hs.sentAny = true;
        if (!createInitiation(peer, now, message)) {
            return;
        }
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketSent();
        peer.timers.handshakeInitiated(now);
        peer.send(message, 0, Messages.INITIATION_SIZE, output);
    }

    /** An initiation from {@code source}: we are the responder. Answer, and hold the new keypair as next. */
    void respond(byte[] buf, int off, InetSocketAddress source, long now, CoreOutput output) {
        Initiation in = consumeInitiation(buf, off, now);
        if (in == null) {
            return;
        }
        try {
            Peer peer = in.peer();
            peer.endpoint = source;
            peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
            peer.timers.anyAuthenticatedPacketReceived();
            Keypair kp = createResponse(in, now, message);
            if (kp == null) {
                return;
            }
            peer.keypairs.install(kp);
            peer.timers.sessionDerived(now);
            peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
            peer.timers.anyAuthenticatedPacketSent();
            peer.send(message, 0, Messages.RESPONSE_SIZE, output);
        } finally {
            in.noise().destroy();
        }
    }

    /**
     * A response from {@code source} to our initiation: we are the initiator and the new keypair
     * is current. Returns its peer, which must now send (a keepalive at least) to confirm the
     * session to the responder; null when refused.
     */
    Peer complete(byte[] buf, int off, InetSocketAddress source, long now) {
        Keypair kp = consumeResponse(buf, off, now);
        if (kp == null) {
            return null;
        }
        Peer peer = kp.peer;
        peer.endpoint = source;
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketReceived();
        peer.keypairs.install(kp);
        peer.timers.sessionDerived(now);
        peer.sessionConfirmed(now, time.wallClockNanos());
        return peer;
    }

    // ------------------------------------------------------------------ messages

    /**
     * Writes an initiation to {@code peer} into {@code out} (INITIATION_SIZE bytes, MACs included)
     * and keeps its state until the response comes. A previous initiation still waiting is
     * abandoned. Returns false when the peer's key makes a zero DH (nothing to send then).
     */
    boolean createInitiation(Peer peer, long now, byte[] out) {
        abandonInitiation(peer);
        Noise noise = Noise.wireGuard(peer.initiationStart, kdf);
        noise.generateEphemeral(random);
        int localIndex = indices.newHandshakeIndex(peer);
        Messages.header(out, 0, Messages.TYPE_INITIATION);
        Messages.putInt(out, Messages.INITIATION_SENDER, localIndex);
        tai64n.now(timestamp, 0);
        if (!noise.writeA(staticPublic, peer.staticStatic, peer.publicKey, timestamp, out, Messages.INITIATION_EPHEMERAL)) {
            noise.destroy();
            indices.remove(localIndex);
            return false;
        }
        peer.cookies.addMacs(out, Messages.INITIATION_SIZE, now);
        Handshake hs = peer.handshake;
        hs.noise = noise;
        hs.localIndex = localIndex;
        hs.state = Handshake.State.INITIATION_SENT;
        return true;
    }

    /**
     * Zeroes every key of {@code peer}: its sessions and the handshake under way. Its queued
     * packets go too: they waited for a session.
     */
    void forgetSessions(Peer peer) {
        peer.keypairs.clear();
        abandonInitiation(peer);
        peer.staged.clear();
    }

    /** Forgets the initiation we sent to {@code peer} and still wait on, if any, and frees its index. */
    void abandonInitiation(Peer peer) {
        if (peer.handshake.state == Handshake.State.INITIATION_SENT) {
            indices.remove(peer.handshake.localIndex);
        }
        peer.handshake.clear();
    }

    /**
     * Reads an initiation (MAC1 already checked). Refuses one from an unknown key, one that does
     * not decrypt, one whose timestamp is not newer than the greatest seen from that peer (a
     * replay), and one less than HANDSHAKE_INITIATION_RATE after the last accepted (a flood).
     *
     * @return the initiation, whose {@link Initiation#noise()} the caller destroys; or null
     */
    Initiation consumeInitiation(byte[] buf, int off, long now) {
        Noise noise = Noise.wireGuard(responderStart, kdf);
        boolean handedOver = false;
        try {
            if (!noise.readA(staticPrivate, buf, off + Messages.INITIATION_EPHEMERAL)) {
                drops.count(DropReason.HANDSHAKE_INVALID);
                return null;
            }
            Peer peer = peers.get(ByteBuffer.wrap(noise.remoteStatic()));
            if (peer == null || !noise.finishReadA(peer.staticStatic, buf, off + Messages.INITIATION_EPHEMERAL,
                    Constants.TIMESTAMP_SIZE, timestamp)) {
                drops.count(DropReason.HANDSHAKE_INVALID);
                return null;
            }
            Handshake hs = peer.handshake;
            boolean replay = hs.hasTimestamp && Tai64n.compare(timestamp, 0, hs.greatestTimestamp, 0) <= 0;
            boolean flood = hs.consumedAny && now - hs.lastInitiationConsumedAt < Constants.HANDSHAKE_INITIATION_RATE;
            if (replay || flood) {
                drops.count(DropReason.HANDSHAKE_REPLAYED);
                return null;
            }
            System.arraycopy(timestamp, 0, hs.greatestTimestamp, 0, Constants.TIMESTAMP_SIZE);
            hs.hasTimestamp = true;
            hs.lastInitiationConsumedAt = now;
            hs.consumedAny = true;
            handedOver = true;
            return new Initiation(peer, Messages.getInt(buf, off + Messages.INITIATION_SENDER), noise);
        } finally {
            if (!handedOver) {
                noise.destroy();
            }
        }
    }

    /**
     * Writes the response to a consumed initiation into {@code out} (RESPONSE_SIZE bytes, MACs
     * included) and derives the responder's keypair, which waits for the initiator's first packet
     * to be confirmed. Returns null when it cannot be made (counted).
     */
    Keypair createResponse(Initiation in, long now, byte[] out) {
        Peer peer = in.peer();
        Noise noise = in.noise();
        noise.generateEphemeral(random);
        int localIndex = indices.newHandshakeIndex(peer);
        Messages.header(out, 0, Messages.TYPE_RESPONSE);
        Messages.putInt(out, Messages.RESPONSE_SENDER, localIndex);
        Messages.putInt(out, Messages.RESPONSE_RECEIVER, in.remoteIndex());
        if (!noise.writeB(peer.publicKey, peer.presharedKey, EMPTY, out, Messages.RESPONSE_EPHEMERAL)) {
            indices.remove(localIndex);
            drops.count(DropReason.HANDSHAKE_INVALID);
            return null;
        }
        peer.cookies.addMacs(out, Messages.RESPONSE_SIZE, now);
        return deriveKeypair(peer, noise, false, localIndex, in.remoteIndex(), now);
    }

    /**
     * Reads a response (MAC1 already checked) to the initiation we wait on, and derives the
     * initiator's keypair; its peer is {@link Keypair#peer}. A forged response does not spoil the
     * initiation: it is tried on a copy of the Noise state. Returns null when refused (counted).
     */
    Keypair consumeResponse(byte[] buf, int off, long now) {
        int receiver = Messages.getInt(buf, off + Messages.RESPONSE_RECEIVER);
        if (!(indices.lookup(receiver) instanceof IndexTable.HandshakeEntry entry)) {
            drops.count(DropReason.HANDSHAKE_INVALID);
            return null;
        }
        Peer peer = entry.peer();
        Handshake hs = peer.handshake;
        if (hs.state != Handshake.State.INITIATION_SENT || hs.localIndex != receiver) {
            drops.count(DropReason.HANDSHAKE_INVALID);
            return null;
        }
        Noise noise = hs.noise.copy();
        try {
            if (!noise.readB(staticPrivate, peer.presharedKey, buf, off + Messages.RESPONSE_EPHEMERAL, 0, EMPTY)) {
                drops.count(DropReason.HANDSHAKE_INVALID);
                return null;
            }
            int remoteIndex = Messages.getInt(buf, off + Messages.RESPONSE_SENDER);
            hs.clear(); // its index now names the keypair
            return deriveKeypair(peer, noise, true, receiver, remoteIndex, now);
        } finally {
            noise.destroy();
        }
    }

    /** Splits the finished handshake into the two transport keys; the handshake's index names the keypair. */
    private Keypair deriveKeypair(Peer peer, Noise noise, boolean initiator, int localIndex, int remoteIndex, long now) {
        byte[] first = new byte[32];
        byte[] second = new byte[32];
        try {
            noise.split(first, second);
            TransportCipher send = aead.create(initiator ? first : second);
            TransportCipher recv = aead.create(initiator ? second : first);
            Keypair kp = new Keypair(peer, send, recv, now, initiator, localIndex, remoteIndex);
            indices.bindKeypair(kp);
            return kp;
        } finally {
            Arrays.fill(first, (byte) 0);
            Arrays.fill(second, (byte) 0);
        }
    }
}
