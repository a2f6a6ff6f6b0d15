package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.engine.core.Device;
import org.wgkaraf.engine.core.Peer;
import org.wgkaraf.engine.core.Tai64n;
import org.wgkaraf.engine.core.TimeSource;
import org.wgkaraf.engine.crypto.Transport;

/**
 * A running tunnel, as the {@link Tunnel} API sees it: one protocol {@link Device} and the pieces
 * around it, each its own class: the socket and its swap ({@link UdpSocket}), the receive thread
 * ({@link ReceiveLoop}), the timer thread ({@link TimerLoop}), the endpoint resolver
 * ({@link EndpointResolver}) and the device's way out to the network ({@link SocketOutput}).
 *
 * <p>One lock, {@link #lock}, guards the device and this class's mutable state; every call into
 * the device holds it. docs/threading.md says which thread takes it when, and what is called
 * without it (the packet sink, the host resolver).
 */
final class TunnelRuntime implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelRuntime.class);
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final ReentrantLock lock = new ReentrantLock();
    private final String name;
    private final TimeSource time;
    private final Runnable onClose;
    private final Device device;
    private final UdpSocket socket;
    private final EndpointResolver resolver;
    private final SocketOutput output;
    private final TimerLoop timers;
    private final ReceiveLoop receiver;

    /** Written under the lock; read without it by status callers and the loops. */
    private volatile boolean running = true;
    private volatile String lastError;
    /** Guarded by the lock. */
    private TunnelConfig config;
    /** Why a peer's endpoint is unknown (its name does not resolve); shown until it resolves. Guarded by the lock. */
    private final Map<PublicKey, String> peerErrors = new HashMap<>();

    TunnelRuntime(TunnelConfig config, PacketSink sink, TimeSource time, SecureRandom random, Tai64n tai64n,
                  HostResolver hosts, Runnable onClose)
            throws IOException {
        this(config, sink, time, random, tai64n, hosts, onClose, resolverThread(config.name()), RuntimeHooks.NONE);
    }

    /** With the resolver's executor and the test hooks of the caller's choosing (tests). */
    TunnelRuntime(TunnelConfig config, PacketSink sink, TimeSource time, SecureRandom random, Tai64n tai64n,
                  HostResolver hosts, Runnable onClose, ScheduledExecutorService resolverThread, RuntimeHooks hooks)
            throws IOException {
        this.name = config.name();
        this.time = time;
        this.onClose = onClose;
        this.config = config;
        this.device = new Device(config.privateKey(), time, random, Transport.factory(), tai64n);
        try {
            for (PeerConfig pc : config.peers()) {
                device.addPeer(pc);
            }
            this.socket = UdpSocket.bind(config.listenPort(), hooks);
        } catch (IOException | RuntimeException e) {
            device.destroy();
            resolverThread.shutdownNow();
            throw e;
        }
        this.resolver = new EndpointResolver(name, hosts, resolverThread, new ResolvedEndpoints());
        this.output = new SocketOutput(socket, resolver, error -> lastError = error);
        this.timers = new TimerLoop(name, lock, device, output, time);
        this.receiver = new ReceiveLoop(name, socket, lock, device, output, time, timers, sink, this::recordError);
        receiver.start();
        timers.start();
        lock.lock();
        try {
            requestLookups(config.peers());
        } finally {
            lock.unlock();
        }
    }

    private static ScheduledExecutorService resolverThread(String tunnel) {
        return new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wg-resolve-" + tunnel);
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------ Tunnel

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean send(byte[] packet, int offset, int length) {
        return send(packet, offset, length, false);
    }

    @Override
    public boolean sendMore(byte[] packet, int offset, int length) {
        return send(packet, offset, length, true);
    }

    private boolean send(byte[] packet, int offset, int length, boolean more) {
        lock.lock();
        try {
            if (!running) {
                return false;
            }
            boolean sent;
            output.hold(more);
            try {
                sent = device.send(packet, offset, length, time.nanoTime(), output);
            } finally {
                output.hold(false);
            }
            if (!more) {
                output.flush();
            }
            timers.wakeIfEarlier();
            return sent;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            if (running) {
                output.flush();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bursts sent in one system call, and the datagrams in them; under the lock (tests, benchmarks). */
    long[] batchesAndDatagrams() {
        lock.lock();
        try {
            return new long[] {output.batchesSent(), output.datagramsBatched()};
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TunnelStatus status() {
        lock.lock();
        try {
            long now = time.nanoTime();
            List<PeerStatus> peers = new ArrayList<>();
            for (Peer p : device.peers()) {
                PeerStatus s = device.status(p, now);
                String resolveError = peerErrors.get(p.publicKey());
                if (s.lastError() == null && resolveError != null && p.endpoint() == null) {
                    s = new PeerStatus(s.publicKey(), s.endpoint(), s.up(), s.latestHandshake(), s.rxBytes(),
                            s.txBytes(), s.rxPackets(), s.txPackets(), s.persistentKeepaliveSeconds(), resolveError);
                }
                peers.add(s);
            }
            return new TunnelStatus(name, running, device.publicKey(), socket.localPort(), peers, device.drops(), lastError);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reconfigure(TunnelConfig newConfig) throws IOException {
        if (!newConfig.name().equals(name)) {
            throw new IllegalArgumentException("a tunnel keeps its name (" + name + ")");
        }
        lock.lock();
        try {
            requireOpen();
            if (!newConfig.privateKey().equals(config.privateKey())) {
                throw new IllegalArgumentException("a new private key needs a new tunnel: close this one and open another");
            }
            if (newConfig.listenPort() != config.listenPort()) {
                output.flush(); // a held burst leaves from the socket its datagrams were meant for
                socket.swapTo(newConfig.listenPort());
            }
            List<PeerConfig> moved = new ArrayList<>();
            Set<PublicKey> keep = new HashSet<>();
            for (PeerConfig pc : newConfig.peers()) {
                keep.add(pc.publicKey());
                Peer existing = device.peer(pc.publicKey());
                if (existing == null || !Objects.equals(existing.config().endpoint(), pc.endpoint())) {
                    moved.add(pc);
                }
                device.addPeer(pc);
            }
            for (Peer p : device.peers()) {
                if (!keep.contains(p.publicKey())) {
                    device.removePeer(p.publicKey());
                    peerErrors.remove(p.publicKey());
                    resolver.forget(p.publicKey());
                }
            }
            config = newConfig;
            device.connect(time.nanoTime(), output);
            timers.wakeIfEarlier();
            requestLookups(moved);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rebind() throws IOException {
        lock.lock();
        try {
            requireOpen();
            output.flush();
            socket.swapTo(config.listenPort());
            // Our next authenticated packet tells each peer where we are now.
            device.keepaliveAll(time.nanoTime(), output);
            timers.wakeIfEarlier();
            // The network changed: names may resolve differently (or at all) now.
            List<PeerConfig> all = new ArrayList<>();
            for (Peer p : device.peers()) {
                all.add(p.config());
            }
            requestLookups(all);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. Only queues the lookups: the resolver thread does them, without the lock. */
    private void requestLookups(List<PeerConfig> peers) {
        for (PeerConfig pc : peers) {
            if (pc.endpoint() != null) {
                resolver.request(pc.publicKey(), pc.endpoint());
            }
        }
    }

    /** Under the lock: a closed tunnel binds no socket again. */
    private void requireOpen() throws IOException {
        if (!running) {
            throw new IOException("tunnel " + name + " is closed");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!running) {
                return;
            }
            running = false;
            output.discard();
            timers.stop();
            // Under the lock: a rebind or reconfigure either swapped the socket before (and this
            // closes the new one) or comes after and finds the tunnel closed.
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing socket of tunnel {}: {}", name, e.toString());
            }
        } finally {
            lock.unlock();
        }
        resolver.close();
        try {
            receiver.join(JOIN_MILLIS);
            timers.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resolver.awaitClosed(2000);
        lock.lock();
        try {
            device.destroy();
        } finally {
            lock.unlock();
        }
        onClose.run();
    }

    private void recordError(String error) {
        if (running) {
            lastError = error;
            LOG.warn("tunnel {}: {}", name, error);
        }
    }

    /** Whether a thread of this tunnel still runs; for leak tests. */
    boolean threadsAlive() {
        return receiver.isAlive() || timers.isAlive();
    }

    // ------------------------------------------------------------------ resolver results

    /** Applies the resolver's results to the device; called on the resolver thread, takes the lock. */
    private final class ResolvedEndpoints implements EndpointResolver.Target {
        @Override
        public boolean resolved(PublicKey key, Endpoint endpoint, InetSocketAddress address) {
            lock.lock();
            try {
                Peer peer = wanting(key, endpoint);
                if (peer == null) {
                    return false;
                }
                peerErrors.remove(key);
                boolean first = peer.endpoint() == null;
                if (!address.equals(peer.endpoint())) {
                    if (!first) {
                        LOG.info("tunnel {}: endpoint {} now resolves to {}", name, endpoint, address.getAddress().getHostAddress());
                    }
                    device.setEndpoint(peer, address);
                }
                if (first) {
                    device.connect(time.nanoTime(), output);
                    timers.wakeIfEarlier();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean failed(PublicKey key, Endpoint endpoint, String error) {
            lock.lock();
            try {
                Peer peer = wanting(key, endpoint);
                if (peer == null) {
                    return false;
                }
                peerErrors.put(key, error);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The peer, if the tunnel is open and the peer still has this endpoint. */
        private Peer wanting(PublicKey key, Endpoint endpoint) {
            if (!running) {
                return null;
            }
            Peer peer = device.peer(key);
            return peer != null && endpoint.equals(peer.config().endpoint()) ? peer : null;
        }
    }
}
