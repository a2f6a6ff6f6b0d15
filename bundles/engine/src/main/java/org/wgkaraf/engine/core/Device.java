package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>The three entry points are {@link #receive} (a datagram from the network: decapsulate),
 * {@link #send} (an inner packet from the host: encapsulate) and {@link #tick} (timers). Each
 * drops what it cannot use, counts it by {@link DropReason}, and never throws for anything a peer
 * can send. The core never hands a packet to the host itself: {@link #receive} returns it, so the
 * caller can deliver it after releasing its lock (a host may send from inside its delivery).
 *
 * <p>This class holds the peer table, routing by allowed IPs, and the two packet paths. Its
 * collaborators, one concept each: {@link HandshakeProtocol} (the handshake: its events and
 * messages), {@link Keypairs} (a peer's sessions and when to rekey), {@link Timers} (the timer
 * rules, one hook per protocol event), {@link LoadMonitor} (admitting handshake messages: MAC1,
 * cookies under load, rate limit), {@link IndexTable} (session indices), {@link Drops} (counters).
 */
public final class Device {
    private static final byte[] EMPTY = new byte[0];

    /** Where {@link #receive} leaves an inner packet for the host: relative to the datagram's offset. */
    public static final int INNER_OFFSET = Messages.TRANSPORT_HEADER_SIZE;

    private final byte[] staticPrivate = new byte[32];
    private final byte[] staticPublic = new byte[32];
    private final PublicKey publicKey;
    private final TimeSource time;
    private final Random jitter;
    private final Tai64n tai64n;

    private final Map<ByteBuffer, Peer> peers = new HashMap<>();
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    private final IndexTable indices;
    private final Drops drops = new Drops();
    private final HandshakeProtocol handshakes;
    private final LoadMonitor load;
    private final Timers.Keepalive keepalive = this::sendKeepalive;

    /** Scratch buffers: the per-packet paths allocate nothing. */
    private final byte[] out = new byte[Messages.TRANSPORT_HEADER_SIZE + Constants.MAX_INNER_PACKET + 16 + Constants.TAG_SIZE];
    private final byte[] cookieReplyOut = new byte[Messages.COOKIE_REPLY_SIZE];

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
        this.jitter = new Random(random.nextLong());
        this.tai64n = tai64n;
        this.indices = new IndexTable(random);
        this.load = new LoadMonitor(new CookieChecker(staticPublic, random));
        this.handshakes = new HandshakeProtocol(staticPrivate, staticPublic, peers, indices, random, aead, tai64n, time, drops);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The TAI64N clock of initiations, so the runtime can persist and restore its floor. */
    public Tai64n tai64n() {
        return tai64n;
    }

    // ------------------------------------------------------------------ peer table

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
            peer = new Peer(config, jitter, indices);
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
            handshakes.forgetSessions(peer);
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

    // ------------------------------------------------------------------ inbound: decapsulate

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
            case 0 -> drops.count(DropReason.UNKNOWN_TYPE);
            default -> drops.count(DropReason.MALFORMED);
        }
        return 0;
    }

    /** Admitted by MAC1, and under load by cookie and rate, before any public-key work. */
    private void receiveHandshake(byte type, byte[] buf, int off, int len, InetSocketAddress source, long now, CoreOutput output) {
        LoadMonitor.Admission admission = load.admit(buf, off, len, source, now, cookieReplyOut);
        if (admission == LoadMonitor.Admission.SEND_COOKIE_REPLY) {
            output.sendDatagram(source, cookieReplyOut, 0, Messages.COOKIE_REPLY_SIZE);
        }
        if (admission != LoadMonitor.Admission.ADMITTED) {
            drops.count(admission.dropReason());
            return;
        }
        if (type == Messages.TYPE_INITIATION) {
            handshakes.respond(buf, off, source, now, output);
            return;
        }
        Peer peer = handshakes.complete(buf, off, source, now);
        if (peer != null) {
            sendKeepalive(peer, now, output); // confirms the session to the responder
            peer.timers.confirmationSent(now);
        }
    }

    public boolean isUnderLoad(long now) {
        return load.isUnderLoad(now);
    }

    private void receiveCookieReply(byte[] buf, int off, long now) {
        IndexTable.Entry entry = indices.lookup(Messages.getInt(buf, off + Messages.COOKIE_REPLY_RECEIVER));
        if (entry == null || !entry.peer().cookies.consumeReply(buf, off, now)) {
            drops.count(DropReason.COOKIE_INVALID);
        }
    }

    /** Index, then the keypair opens it; only then the endpoint, the timers, and the inner source check. */
    private int receiveTransport(byte[] buf, int off, int len, InetSocketAddress source, long now, CoreOutput output) {
        if (len - Messages.TRANSPORT_HEADER_SIZE - Constants.TAG_SIZE > Constants.MAX_INNER_PACKET + 16) {
            drops.count(DropReason.OVERSIZE);
            return 0;
        }
        IndexTable.Entry entry = indices.lookup(Messages.getInt(buf, off + Messages.TRANSPORT_RECEIVER));
        if (!(entry instanceof IndexTable.KeypairEntry ke)) {
            drops.count(DropReason.UNKNOWN_RECEIVER);
            return 0;
        }
        Keypair kp = ke.keypair();
        Peer peer = kp.peer;
        int plainLen = kp.open(buf, off, len, now, drops);
        if (plainLen < 0) {
            return 0;
        }
        int dataOff = off + INNER_OFFSET;
        // Authenticated and not a replay: only now may the packet move the endpoint (roaming).
        if (peer.keypairs.confirm(kp)) {
            peer.sessionConfirmed(now, time.wallClockNanos());
            sendStaged(peer, now, output);
        }
        if (!source.equals(peer.endpoint)) {
            peer.endpoint = source;
        }
        peer.rxBytes += len;
        peer.rxPackets++;
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketReceived();
        if (peer.keypairs.rekeyBeforeExpiry(peer.timers, now)) {
            peer.timers.sentLastMinuteHandshake = true;
            handshakes.initiate(peer, false, now, output);
        }
        if (plainLen == 0) {
            return 0; // keepalive
        }
        peer.timers.dataReceived(now);
        int innerLen = InnerPacket.length(buf, dataOff, plainLen);
        if (innerLen < 0) {
            drops.count(DropReason.INNER_MALFORMED);
            return 0;
        }
        int srcOff = InnerPacket.sourceOffset(buf, dataOff);
        if (allowedIps.lookup(buf, dataOff + srcOff, InnerPacket.addressLength(buf, dataOff)) != peer) {
            drops.count(DropReason.SOURCE_NOT_ALLOWED);
            return 0;
        }
        return innerLen;
    }

    // ------------------------------------------------------------------ outbound: encapsulate

    /**
     * An inner IP packet from the host: route it by destination to a peer and encrypt it, or queue
     * it and start a handshake. Returns false when it was dropped.
     */
    public boolean send(byte[] packet, int off, int len, long now, CoreOutput output) {
        if (len > Constants.MAX_INNER_PACKET) {
            drops.count(DropReason.OVERSIZE);
            return false;
        }
        if (InnerPacket.length(packet, off, len) != len) {
            drops.count(DropReason.INNER_MALFORMED);
            return false;
        }
        Peer peer = allowedIps.lookup(packet, off + InnerPacket.destinationOffset(packet, off),
                InnerPacket.addressLength(packet, off));
        if (peer == null) {
            drops.count(DropReason.NO_ROUTE);
            return false;
        }
        if (peer.endpoint == null) {
            peer.lastError = "no endpoint known for this peer";
            drops.count(DropReason.NO_ENDPOINT);
            return false;
        }
        Keypair kp = peer.keypairs.current;
        if (peer.staged.isEmpty() && kp != null && kp.canSend(now)) {
            encryptAndSend(peer, kp, packet, off, len, now, output);
            if (Keypairs.rekeyAfterSending(kp, now)) {
                handshakes.initiate(peer, false, now, output);
            }
            return true;
        }
        if (peer.staged.size() >= Constants.MAX_STAGED_PACKETS) {
            peer.staged.pollFirst();
            drops.count(DropReason.QUEUE_FULL);
        }
        peer.staged.addLast(Arrays.copyOfRange(packet, off, off + len));
        sendStaged(peer, now, output);
        return true;
    }

    /** Sends the queued packets with the current session, or starts a handshake for them. */
    private void sendStaged(Peer peer, long now, CoreOutput output) {
        Keypair kp = peer.keypairs.current;
        if (kp == null || !kp.canSend(now)) {
            handshakes.initiate(peer, false, now, output);
            return;
        }
        byte[] p;
        while ((p = peer.staged.pollFirst()) != null) {
            encryptAndSend(peer, kp, p, 0, p.length, now, output);
        }
        if (Keypairs.rekeyAfterSending(kp, now)) {
            handshakes.initiate(peer, false, now, output);
        }
    }

    private void sendKeepalive(Peer peer, long now, CoreOutput output) {
        if (peer.staged.isEmpty()) {
            peer.staged.addLast(EMPTY);
        }
        sendStaged(peer, now, output);
    }

    /** Seals one packet on the session and sends it, then tells the timers. */
    private void encryptAndSend(Peer peer, Keypair kp, byte[] packet, int off, int len, long now, CoreOutput output) {
        int total = kp.seal(packet, off, len, out);
        peer.send(out, 0, total, output);
        peer.txBytes += total;
        peer.txPackets++;
        peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
        peer.timers.anyAuthenticatedPacketSent();
        if (len > 0) {
            peer.timers.dataSent(now);
        }
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
            if (peer.endpoint != null && (peer.keypairs.current != null || peer.persistentKeepaliveInterval > 0)) {
                sendKeepalive(peer, now, output);
            }
        }
    }

    /** Starts a handshake with {@code peer} now (within the REKEY_TIMEOUT limit). */
    public void initiate(Peer peer, long now, CoreOutput output) {
        handshakes.initiate(peer, false, now, output);
    }

    // ------------------------------------------------------------------ timers

    /** Runs every timer whose deadline has passed (the rules are in {@link Timers}). */
    public void tick(long now, CoreOutput output) {
        for (Peer peer : peers.values()) {
            peer.timers.runExpired(peer, now, handshakes, keepalive, output);
        }
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

    /** Counts a drop found by the runtime (e.g. an oversize datagram). */
    public void countDrop(DropReason reason) {
        drops.count(reason);
    }

    public Map<DropReason, Long> drops() {
        return drops.snapshot();
    }

    public PeerStatus status(Peer peer, long now) {
        return peer.status(now);
    }

    /** Zeroes every key: the static key, every session, every handshake. */
    public void destroy() {
        for (Peer peer : peers.values()) {
            handshakes.forgetSessions(peer);
            peer.destroy();
        }
        peers.clear();
        allowedIps.clear();
        indices.clear();
        load.destroy();
        Arrays.fill(staticPrivate, (byte) 0);
    }

    /** Number of live indices (sessions and pending handshakes); for leak tests. */
    int indexCount() {
        return indices.size();
    }
}
