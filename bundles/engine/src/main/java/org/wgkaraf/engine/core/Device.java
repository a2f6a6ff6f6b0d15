package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.engine.crypto.TransportCipher;
import org.wgkaraf.engine.crypto.X25519;

/**
 * The WireGuard protocol of one tunnel, without I/O: datagrams, inner packets and the current
 * monotonic time go in; datagrams to send go out through {@link CoreOutput}, an inner packet for
 * the host is the return value of {@link #receive}, and the next deadline is {@link #nextDeadline}.
 * Not thread-safe: the runtime calls it under one lock.
 *
 * <p>The three entry points are {@link #receive} (a datagram from the network), {@link #send} (an
 * inner packet from the host) and {@link #tick} (timers). Each drops what it cannot use, counts it
 * by {@link DropReason}, and never throws for anything a peer can send.
 *
 * <p>The core never hands a packet to the host itself: {@link #receive} returns it, so the caller
 * can deliver it after releasing its lock (a host may send from inside its delivery).
 */
public final class Device {
    private static final byte[] EMPTY = new byte[0];

    private final byte[] staticPrivate = new byte[32];
    private final byte[] staticPublic = new byte[32];
    private final PublicKey publicKey;
    private final TimeSource time;
    private final SecureRandom random;
    private final Random jitter;
    private final TransportCipher.Factory aead;
    private final Tai64n tai64n;

    private final Map<ByteBuffer, Peer> peers = new HashMap<>();
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    private final IndexTable indices;
    private final CookieChecker cookieChecker;
    private final RateLimiter rateLimiter = new RateLimiter();

    private final long[] drops = new long[DropReason.values().length];
    private long handshakeWindowStart;
    private int handshakesInWindow;
    private long underLoadUntil = Long.MIN_VALUE;

    /** Scratch buffers: the per-packet paths allocate nothing. */
    private final byte[] out = new byte[Messages.TRANSPORT_HEADER_SIZE + Constants.MAX_INNER_PACKET + 16 + Constants.TAG_SIZE];
    private final byte[] handshakeOut = new byte[Messages.INITIATION_SIZE];
    private final byte[] timestamp = new byte[Constants.TIMESTAMP_SIZE];

    public Device(SecretKey privateKey, TimeSource time, SecureRandom random, TransportCipher.Factory aead) {
        this(privateKey, time, random, aead, new Tai64n(time::wallClockNanos));
    }

    /**
     * @param tai64n the initiation timestamp clock; share one among all tunnels of a process so
     *               that no tunnel, even a reopened one, sends a timestamp older than another's
     */
    public Device(SecretKey privateKey, TimeSource time, SecureRandom random, TransportCipher.Factory aead, Tai64n tai64n) {
        byte[] k = privateKey.toBytes();
        System.arraycopy(k, 0, staticPrivate, 0, 32);
        Arrays.fill(k, (byte) 0);
        X25519.clamp(staticPrivate);
        X25519.publicKey(staticPrivate, staticPublic);
        this.publicKey = PublicKey.of(staticPublic);
        this.time = time;
        this.random = random;
        this.jitter = new Random(random.nextLong());
        this.aead = aead;
        this.tai64n = tai64n;
        this.indices = new IndexTable(random);
        this.cookieChecker = new CookieChecker(staticPublic, random);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The TAI64N clock of initiations, so the runtime can persist and restore its floor. */
    public Tai64n tai64n() {
        return tai64n;
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Adds a peer, or updates the pre-shared key, keepalive and allowed IPs of an existing one
     * (its sessions are kept). Refuses our own public key and a key that gives a zero DH.
     */
    public Peer addPeer(PeerConfig config) {
        ByteBuffer key = ByteBuffer.wrap(config.publicKey().toBytes());
        Peer peer = peers.get(key);
        if (peer == null) {
            if (Arrays.equals(key.array(), staticPublic)) {
                throw new IllegalArgumentException("the peer's public key is our own public key");
            }
            peer = new Peer(config, jitter);
            if (!X25519.sharedSecret(staticPrivate, peer.publicKey, peer.staticStatic)) {
                peer.destroy();
                throw new IllegalArgumentException("the peer's public key is a low-order point and cannot be used");
            }
            peers.put(key, peer);
        } else {
            peer.apply(config);
        }
        allowedIps.removeValue(peer);
        for (IpPrefix p : config.allowedIps()) {
            allowedIps.insert(p.address().getAddress(), p.bits(), peer);
        }
        return peer;
    }

    public void removePeer(PublicKey key) {
        Peer peer = peers.remove(ByteBuffer.wrap(key.toBytes()));
        if (peer != null) {
            allowedIps.removeValue(peer);
            zeroAndFlush(peer);
            peer.destroy();
        }
    }

    public List<Peer> peers() {
        return new ArrayList<>(peers.values());
    }

    public Peer peer(PublicKey key) {
        return peers.get(ByteBuffer.wrap(key.toBytes()));
    }

    /** Sets where the peer is reached (configured or re-resolved); roaming moves it later. */
    public void setEndpoint(Peer peer, InetSocketAddress endpoint) {
        peer.endpoint = endpoint;
    }

    // ------------------------------------------------------------------ inbound

    /** Where {@link #receive} leaves an inner packet for the host: relative to the datagram's offset. */
    public static final int INNER_OFFSET = Messages.TRANSPORT_HEADER_SIZE;

    /**
     * A datagram from {@code source}. Never throws for its content.
     *
     * @return the length of an inner IP packet for the host, decrypted in place at
     *         {@code off + INNER_OFFSET} of {@code buf}; 0 when the datagram carries none (a
     *         handshake, a keepalive, or dropped)
     */
    public int receive(byte[] buf, int off, int len, InetSocketAddress source, long now, CoreOutput output) {
        byte type = Messages.classify(buf, off, len);
        switch (type) {
            case Messages.TYPE_TRANSPORT -> {
                return receiveTransport(buf, off, len, source, now, output);
            }
            case Messages.TYPE_INITIATION, Messages.TYPE_RESPONSE -> receiveHandshake(type, buf, off, len, source, now, output);
            case Messages.TYPE_COOKIE_REPLY -> receiveCookieReply(buf, off, now);
            case 0 -> drop(DropReason.UNKNOWN_TYPE);
            default -> drop(DropReason.MALFORMED);
        }
        return 0;
    }

    private void receiveHandshake(byte type, byte[] buf, int off, int len, InetSocketAddress source, long now, CoreOutput output) {
        if (!cookieChecker.checkMac1(buf, off, len)) {
            drop(DropReason.BAD_MAC1);
            return;
        }
        if (underLoad(now)) {
            if (!cookieChecker.checkMac2(buf, off, len, source, now)) {
                int sender = Messages.getInt(buf, off + 4);
                int n = cookieChecker.createReply(buf, off, len, sender, source, now, handshakeOut);
                output.sendDatagram(source, handshakeOut, 0, n);
                drop(DropReason.COOKIE_REQUIRED);
                return;
            }
            if (!rateLimiter.allow(source.getAddress(), now)) {
                drop(DropReason.RATE_LIMITED);
                return;
            }
        }
        if (type == Messages.TYPE_INITIATION) {
            receiveInitiation(buf, off, source, now, output);
        } else {
            receiveResponse(buf, off, source, now, output);
        }
    }

    /** Counts handshake messages per second; above the threshold we are under load for a while. */
    private boolean underLoad(long now) {
        if (now - handshakeWindowStart >= 1_000_000_000L) {
            handshakeWindowStart = now;
            handshakesInWindow = 0;
        }
        if (++handshakesInWindow > Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND) {
            underLoadUntil = now + Constants.UNDER_LOAD_AFTER_TIME;
        }
        return now < underLoadUntil;
    }

    public boolean isUnderLoad(long now) {
        return now < underLoadUntil;
    }

    private void receiveInitiation(byte[] buf, int off, InetSocketAddress source, long now, CoreOutput output) {
        Noise noise = Noise.wireGuard(staticPublic);
        Peer peer = null;
        try {
            if (!noise.readA(staticPrivate, buf, off + Messages.INITIATION_EPHEMERAL)) {
                drop(DropReason.HANDSHAKE_INVALID);
                return;
            }
            peer = peers.get(ByteBuffer.wrap(noise.remoteStatic()));
            if (peer == null || !noise.finishReadA(peer.staticStatic, buf, off + Messages.INITIATION_EPHEMERAL,
                    Constants.TIMESTAMP_SIZE, timestamp)) {
                drop(DropReason.HANDSHAKE_INVALID);
                return;
            }
            Handshake hs = peer.handshake;
            boolean replay = hs.hasTimestamp && Tai64n.compare(timestamp, 0, hs.greatestTimestamp, 0) <= 0;
            boolean flood = hs.consumedAny && now - hs.lastInitiationConsumedAt < Constants.HANDSHAKE_INITIATION_RATE;
            if (replay || flood) {
                drop(DropReason.HANDSHAKE_REPLAYED);
                return;
            }
            System.arraycopy(timestamp, 0, hs.greatestTimestamp, 0, Constants.TIMESTAMP_SIZE);
            hs.hasTimestamp = true;
            hs.lastInitiationConsumedAt = now;
            hs.consumedAny = true;

            peer.endpoint = source;
            peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
            peer.timers.anyAuthenticatedPacketReceived();

            // The response, and the responder's keypair (confirmed by the initiator's first data).
            int remoteIndex = Messages.getInt(buf, off + Messages.INITIATION_SENDER);
            noise.generateEphemeral(random);
            int localIndex = indices.newHandshakeIndex(peer);
            byte[] msg = handshakeOut;
            Messages.header(msg, 0, Messages.TYPE_RESPONSE);
            Messages.putInt(msg, Messages.RESPONSE_SENDER, localIndex);
            Messages.putInt(msg, Messages.RESPONSE_RECEIVER, remoteIndex);
            if (!noise.writeB(peer.publicKey, peer.presharedKey, EMPTY, msg, Messages.RESPONSE_EPHEMERAL)) {
                indices.remove(localIndex);
                drop(DropReason.HANDSHAKE_INVALID);
                return;
            }
            peer.cookies.addMacs(msg, Messages.RESPONSE_SIZE, now);
            Keypair kp = deriveKeypair(peer, noise, false, localIndex, remoteIndex, now);
            beginSession(peer, kp);
            peer.timers.sessionDerived(now);
            peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
            peer.timers.anyAuthenticatedPacketSent();
            sendDatagram(peer, msg, 0, Messages.RESPONSE_SIZE, output);
        } finally {
            noise.destroy();
        }
    }

    private void receiveResponse(byte[] buf, int off, InetSocketAddress source, long now, CoreOutput output) {
        int receiver = Messages.getInt(buf, off + Messages.RESPONSE_RECEIVER);
        IndexTable.Entry entry = indices.lookup(receiver);
        if (!(entry instanceof IndexTable.HandshakeEntry he)) {
            drop(DropReason.HANDSHAKE_INVALID);
            return;
        }
        Peer peer = he.peer();
        Handshake hs = peer.handshake;
        if (hs.state != Handshake.State.INITIATION_SENT || hs.localIndex != receiver) {
            drop(DropReason.HANDSHAKE_INVALID);
            return;
        }
        // Work on a copy: a forged response must not spoil the handshake we wait on.
        Noise noise = hs.noise.copy();
        try {
            if (!noise.readB(staticPrivate, peer.presharedKey, buf, off + Messages.RESPONSE_EPHEMERAL, 0, EMPTY)) {
                drop(DropReason.HANDSHAKE_INVALID);
                return;
            }
            int remoteIndex = Messages.getInt(buf, off + Messages.RESPONSE_SENDER);
            hs.clear();
            peer.endpoint = source;
            peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
            peer.timers.anyAuthenticatedPacketReceived();
            Keypair kp = deriveKeypair(peer, noise, true, receiver, remoteIndex, now);
            beginSession(peer, kp);
            peer.timers.sessionDerived(now);
            handshakeComplete(peer, now);
            sendKeepalive(peer, now, output);
        } finally {
            noise.destroy();
        }
    }

    private void receiveCookieReply(byte[] buf, int off, long now) {
        IndexTable.Entry entry = indices.lookup(Messages.getInt(buf, off + Messages.COOKIE_REPLY_RECEIVER));
        if (entry == null || !entry.peer().cookies.consumeReply(buf, off, now)) {
            drop(DropReason.COOKIE_INVALID);
        }
    }

    private int receiveTransport(byte[] buf, int off, int len, InetSocketAddress source, long now, CoreOutput output) {
        if (len - Messages.TRANSPORT_HEADER_SIZE - Constants.TAG_SIZE > Constants.MAX_INNER_PACKET + 16) {
            drop(DropReason.OVERSIZE);
            return 0;
        }
        IndexTable.Entry entry = indices.lookup(Messages.getInt(buf, off + Messages.TRANSPORT_RECEIVER));
        if (!(entry instanceof IndexTable.KeypairEntry ke)) {
            drop(DropReason.UNKNOWN_RECEIVER);
            return 0;
        }
        Keypair kp = ke.keypair();
        Peer peer = kp.peer;
        if (!kp.canReceive(now)) {
            drop(DropReason.KEY_EXPIRED);
            return 0;
        }
        long counter = Messages.getLong(buf, off + Messages.TRANSPORT_COUNTER);
        if (!kp.replay.check(counter)) {
            drop(DropReason.REPLAYED);
            return 0;
        }
        int dataOff = off + Messages.TRANSPORT_HEADER_SIZE;
        int plainLen = kp.receiving.open(counter, buf, dataOff, len - Messages.TRANSPORT_HEADER_SIZE, buf, dataOff);
        if (plainLen < 0) {
            drop(DropReason.DECRYPT_FAILED);
            return 0;
        }
        if (!kp.replay.accept(counter, Constants.REJECT_AFTER_MESSAGES)) {
            drop(DropReason.REPLAYED);
            return 0;
        }
        // Authenticated and not a replay: only now may the packet move the endpoint (roaming).
        if (receivedWithKeypair(peer, kp)) {
            handshakeComplete(peer, now);
            sendStaged(peer, now, output);
        }
        if (!source.equals(peer.endpoint)) {
            peer.endpoint = source;
        }
        peer.rxBytes += len;
        peer.rxPackets++;
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketReceived();
        keepKeyFreshReceiving(peer, now, output);
        if (plainLen == 0) {
            return 0; // keepalive
        }
        peer.timers.dataReceived(now);
        int innerLen = InnerPacket.length(buf, dataOff, plainLen);
        if (innerLen < 0) {
            drop(DropReason.INNER_MALFORMED);
            return 0;
        }
        int srcOff = InnerPacket.sourceOffset(buf, dataOff);
        if (allowedIps.lookup(buf, dataOff + srcOff, InnerPacket.addressLength(buf, dataOff)) != peer) {
            drop(DropReason.SOURCE_NOT_ALLOWED);
            return 0;
        }
        return innerLen; // at dataOff, which is off + INNER_OFFSET
    }

    // ------------------------------------------------------------------ outbound

    /**
     * An inner IP packet from the host: route it by destination to a peer and encrypt it, or queue
     * it and start a handshake. Returns false when it was dropped.
     */
    public boolean send(byte[] packet, int off, int len, long now, CoreOutput output) {
        if (len > Constants.MAX_INNER_PACKET) {
            drop(DropReason.OVERSIZE);
            return false;
        }
        if (InnerPacket.length(packet, off, len) != len) {
            drop(DropReason.INNER_MALFORMED);
            return false;
        }
        Peer peer = allowedIps.lookup(packet, off + InnerPacket.destinationOffset(packet, off),
                InnerPacket.addressLength(packet, off));
        if (peer == null) {
            drop(DropReason.NO_ROUTE);
            return false;
        }
        if (peer.endpoint == null) {
            peer.lastError = "no endpoint known for this peer";
            drop(DropReason.NO_ENDPOINT);
            return false;
        }
        Keypair kp = peer.current;
        if (peer.staged.isEmpty() && kp != null && kp.canSend(now)) {
            encryptAndSend(peer, kp, packet, off, len, now, output);
            keepKeyFreshSending(peer, kp, now, output);
            return true;
        }
        if (peer.staged.size() >= Constants.MAX_STAGED_PACKETS) {
            peer.staged.pollFirst();
            drop(DropReason.QUEUE_FULL);
        }
        peer.staged.addLast(Arrays.copyOfRange(packet, off, off + len));
        sendStaged(peer, now, output);
        return true;
    }

    /** Sends the queued packets with the current session, or starts a handshake for them. */
    private void sendStaged(Peer peer, long now, CoreOutput output) {
        Keypair kp = peer.current;
        if (kp == null || !kp.canSend(now)) {
            sendInitiation(peer, false, now, output);
            return;
        }
        byte[] p;
        while ((p = peer.staged.pollFirst()) != null) {
            encryptAndSend(peer, kp, p, 0, p.length, now, output);
        }
        keepKeyFreshSending(peer, kp, now, output);
    }

    private void sendKeepalive(Peer peer, long now, CoreOutput output) {
        if (peer.staged.isEmpty()) {
            peer.staged.addLast(EMPTY);
        }
        sendStaged(peer, now, output);
    }

    private void encryptAndSend(Peer peer, Keypair kp, byte[] packet, int off, int len, long now, CoreOutput output) {
        long counter = kp.sendCounter++;
        int padded = (len + 15) & ~15;
        byte[] o = out;
        Messages.header(o, 0, Messages.TYPE_TRANSPORT);
        Messages.putInt(o, Messages.TRANSPORT_RECEIVER, kp.remoteIndex);
        Messages.putLong(o, Messages.TRANSPORT_COUNTER, counter);
        System.arraycopy(packet, off, o, Messages.TRANSPORT_HEADER_SIZE, len);
        Arrays.fill(o, Messages.TRANSPORT_HEADER_SIZE + len, Messages.TRANSPORT_HEADER_SIZE + padded, (byte) 0);
        int n = kp.sending.seal(counter, o, Messages.TRANSPORT_HEADER_SIZE, padded, o, Messages.TRANSPORT_HEADER_SIZE);
        int total = Messages.TRANSPORT_HEADER_SIZE + n;
        sendDatagram(peer, o, 0, total, output);
        peer.txBytes += total;
        peer.txPackets++;
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketSent();
        if (len > 0) {
            peer.timers.dataSent(now);
        }
    }

    private void sendDatagram(Peer peer, byte[] buf, int off, int len, CoreOutput output) {
        if (peer.endpoint != null) {
            output.sendDatagram(peer.endpoint, buf, off, len);
        }
    }

    /** Starts a handshake unless one went out less than REKEY_TIMEOUT ago. */
    private void sendInitiation(Peer peer, boolean retry, long now, CoreOutput output) {
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
        if (hs.state == Handshake.State.INITIATION_SENT) {
            indices.remove(hs.localIndex);
        }
        hs.clear();
        Noise noise = Noise.wireGuard(peer.publicKey);
        noise.generateEphemeral(random);
        int localIndex = indices.newHandshakeIndex(peer);
        byte[] msg = handshakeOut;
        Messages.header(msg, 0, Messages.TYPE_INITIATION);
        Messages.putInt(msg, Messages.INITIATION_SENDER, localIndex);
        tai64n.now(timestamp, 0);
        if (!noise.writeA(staticPublic, peer.staticStatic, peer.publicKey, timestamp, msg, Messages.INITIATION_EPHEMERAL)) {
            noise.destroy();
            indices.remove(localIndex);
            return;
        }
        peer.cookies.addMacs(msg, Messages.INITIATION_SIZE, now);
        hs.noise = noise;
        hs.localIndex = localIndex;
        hs.state = Handshake.State.INITIATION_SENT;
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketSent();
        peer.timers.handshakeInitiated(now);
        sendDatagram(peer, msg, 0, Messages.INITIATION_SIZE, output);
    }

    /** Starts the peers that keep the tunnel open by themselves (persistent keepalive). */
    public void connect(long now, CoreOutput output) {
        for (Peer peer : peers.values()) {
            if (peer.persistentKeepaliveInterval > 0 && peer.endpoint != null) {
                sendKeepalive(peer, now, output);
            }
        }
    }

    /**
     * Sends a keepalive to every peer we have talked to: after a rebind, so that each learns our
     * new address at once (its endpoint follows our authenticated packets).
     */
    public void keepaliveAll(long now, CoreOutput output) {
        for (Peer peer : peers.values()) {
            if (peer.endpoint != null && (peer.current != null || peer.persistentKeepaliveInterval > 0)) {
                sendKeepalive(peer, now, output);
            }
        }
    }

    /** Starts a handshake with {@code peer} now (within the REKEY_TIMEOUT limit). */
    public void initiate(Peer peer, long now, CoreOutput output) {
        sendInitiation(peer, false, now, output);
    }

    // ------------------------------------------------------------------ sessions

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

    /** Puts a new keypair in its slot: current for the initiator, next (unconfirmed) for the responder. */
    private void beginSession(Peer peer, Keypair kp) {
        if (kp.initiator) {
            if (peer.next != null) {
                Keypair confirmedNever = peer.next;
                peer.next = null;
                destroy(peer.previous);
                peer.previous = confirmedNever;
                destroy(peer.current);
            } else {
                destroy(peer.previous);
                peer.previous = peer.current;
            }
            peer.current = kp;
        } else {
            destroy(peer.next);
            peer.next = kp;
            destroy(peer.previous);
            peer.previous = null;
        }
    }

    /** Key confirmation: the first packet on the responder's next keypair makes it current. */
    private boolean receivedWithKeypair(Peer peer, Keypair kp) {
        if (kp != peer.next) {
            return false;
        }
        destroy(peer.previous);
        peer.previous = peer.current;
        peer.current = kp;
        peer.next = null;
        return true;
    }

    private void handshakeComplete(Peer peer, long now) {
        peer.timers.handshakeComplete();
        peer.lastHandshakeNanos = now;
        peer.lastHandshakeWallNanos = time.wallClockNanos();
        peer.hasHandshake = true;
        peer.lastError = null;
    }

    private void destroy(Keypair kp) {
        if (kp != null) {
            indices.remove(kp.localIndex);
            kp.destroy();
        }
    }

    /** The initiator rekeys after REKEY_AFTER_TIME; anyone after REKEY_AFTER_MESSAGES. */
    private void keepKeyFreshSending(Peer peer, Keypair kp, long now, CoreOutput output) {
        if ((kp.initiator && now - kp.created > Constants.REKEY_AFTER_TIME)
                || Long.compareUnsigned(kp.sendCounter, Constants.REKEY_AFTER_MESSAGES) > 0) {
            sendInitiation(peer, false, now, output);
        }
    }

    /** An initiator whose session nears REJECT_AFTER_TIME rekeys once on receive, in case it sends nothing. */
    private void keepKeyFreshReceiving(Peer peer, long now, CoreOutput output) {
        Keypair kp = peer.current;
        if (peer.timers.sentLastMinuteHandshake || kp == null || !kp.initiator) {
            return;
        }
        if (now - kp.created > Constants.REJECT_AFTER_TIME - Constants.KEEPALIVE_TIMEOUT - Constants.REKEY_TIMEOUT) {
            peer.timers.sentLastMinuteHandshake = true;
            sendInitiation(peer, false, now, output);
        }
    }

    private void zeroAndFlush(Peer peer) {
        destroy(peer.previous);
        destroy(peer.current);
        destroy(peer.next);
        peer.previous = peer.current = peer.next = null;
        if (peer.handshake.state == Handshake.State.INITIATION_SENT) {
            indices.remove(peer.handshake.localIndex);
        }
        peer.handshake.clear();
        peer.staged.clear();
    }

    // ------------------------------------------------------------------ timers

    /** Runs every timer whose deadline has passed. */
    public void tick(long now, CoreOutput output) {
        for (Peer peer : peers.values()) {
            Timers t = peer.timers;
            if (t.retransmitHandshake <= now) {
                t.retransmitHandshake = Timers.NEVER;
                retransmitHandshakeExpired(peer, now, output);
            }
            if (t.sendKeepalive <= now) {
                t.sendKeepalive = Timers.NEVER;
                sendKeepalive(peer, now, output);
                if (t.needAnotherKeepalive) {
                    t.needAnotherKeepalive = false;
                    t.sendKeepalive = now + Constants.KEEPALIVE_TIMEOUT;
                }
            }
            if (t.newHandshake <= now) {
                t.newHandshake = Timers.NEVER;
                output.endpointStale(peer);
                sendInitiation(peer, false, now, output);
            }
            if (t.zeroKeyMaterial <= now) {
                t.zeroKeyMaterial = Timers.NEVER;
                zeroAndFlush(peer);
            }
            if (t.persistentKeepalive <= now) {
                t.persistentKeepalive = Timers.NEVER;
                if (peer.persistentKeepaliveInterval > 0) {
                    sendKeepalive(peer, now, output);
                }
            }
        }
    }

    private void retransmitHandshakeExpired(Peer peer, long now, CoreOutput output) {
        Timers t = peer.timers;
        if (t.handshakeAttempts > Constants.MAX_TIMER_HANDSHAKES) {
            // Give up: REKEY_ATTEMPT_TIME passed without an answer. New traffic starts again.
            peer.lastError = "no handshake answer for " + Constants.REKEY_ATTEMPT_TIME / 1_000_000_000L + " s";
            t.sendKeepalive = Timers.NEVER;
            peer.staged.clear();
            if (!Timers.pending(t.zeroKeyMaterial)) {
                t.zeroKeyMaterial = now + 3 * Constants.REJECT_AFTER_TIME;
            }
            return;
        }
        t.handshakeAttempts++;
        if (t.handshakeAttempts > 1) {
            peer.lastError = "handshake not answered (" + t.handshakeAttempts + " attempts)";
        }
        output.endpointStale(peer);
        sendInitiation(peer, true, now, output);
    }

    /** The earliest deadline of any timer, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        long min = Timers.NEVER;
        for (Peer peer : peers.values()) {
            min = Math.min(min, peer.timers.nextDeadline());
        }
        return min;
    }

    // ------------------------------------------------------------------ status

    private void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    /** Counts a drop found by the runtime (e.g. an oversize datagram). */
    public void countDrop(DropReason reason) {
        drop(reason);
    }

    public Map<DropReason, Long> drops() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                m.put(r, drops[r.ordinal()]);
            }
        }
        return m;
    }

    public PeerStatus status(Peer peer, long now) {
        Instant latest = peer.hasHandshake
                ? Instant.ofEpochSecond(0, peer.lastHandshakeWallNanos) : null;
        return new PeerStatus(peer.publicKeyValue, peer.endpoint, peer.isUp(now), latest,
                peer.rxBytes, peer.txBytes, peer.rxPackets, peer.txPackets,
                peer.config.persistentKeepaliveSeconds(), peer.lastError);
    }

    /** Zeroes every key: the static key, every session, every handshake. */
    public void destroy() {
        for (Peer peer : peers.values()) {
            zeroAndFlush(peer);
            peer.destroy();
        }
        peers.clear();
        allowedIps.clear();
        indices.clear();
        cookieChecker.destroy();
        Arrays.fill(staticPrivate, (byte) 0);
    }

    /** Number of live indices (sessions and pending handshakes); for leak tests. */
    int indexCount() {
        return indices.size();
    }
}
