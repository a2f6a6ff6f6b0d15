package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.engine.core.CoreOutput;
import org.wgkaraf.engine.core.Device;
import org.wgkaraf.engine.core.Peer;
import org.wgkaraf.engine.core.Tai64n;
import org.wgkaraf.engine.core.TimeSource;
import org.wgkaraf.engine.crypto.Transport;

/**
 * A running tunnel: one UDP socket, a receive thread, a timer thread and a resolver around one
 * protocol {@link Device}. Every call into the device holds {@link #lock}.
 */
final class TunnelRuntime implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelRuntime.class);
    private static final int RECEIVE_BUFFER = 65536 + 64;
    private static final long MAX_TIMER_WAIT = TimeUnit.MILLISECONDS.toNanos(500);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition timerWake = lock.newCondition();
    private final TimeSource time;
    private final HostResolver hosts;
    private final PacketSink sink;
    private final Runnable onClose;
    private final Device device;
    private final String name;
    private final Output output = new Output();
    /** Why a peer's endpoint is unknown (its name does not resolve); shown until it resolves. */
    private final Map<PublicKey, String> peerErrors = new HashMap<>();
    private final EndpointResolver resolver;
    private final RuntimeHooks hooks;
    private final Thread receiver;
    private final Thread timer;

    private final UdpSocket socket;
    private volatile boolean running = true;
    private volatile String lastError;
    private TunnelConfig config;
    private long scheduledWake = Long.MAX_VALUE;

    TunnelRuntime(TunnelConfig config, PacketSink sink, TimeSource time, SecureRandom random, Tai64n tai64n,
                  HostResolver hosts, Runnable onClose)
            throws IOException {
        this(config, sink, time, random, tai64n, hosts, onClose,
                new ScheduledThreadPoolExecutor(1, r -> daemon(r, "wg-resolve-" + config.name())), RuntimeHooks.NONE);
    }

    TunnelRuntime(TunnelConfig config, PacketSink sink, TimeSource time, SecureRandom random, Tai64n tai64n,
                  HostResolver hosts, Runnable onClose, ScheduledExecutorService resolverThread, RuntimeHooks hooks)
            throws IOException {
        this.hooks = hooks;
        this.time = time;
        this.hosts = hosts;
        this.sink = sink;
        this.onClose = onClose;
        this.name = config.name();
        this.config = config;
        this.device = new Device(config.privateKey(), time, random, Transport.factory(), tai64n);
        try {
            for (PeerConfig pc : config.peers()) {
                device.addPeer(pc);
            }
            this.socket = UdpSocket.bind(config.listenPort(), hooks);
        } catch (IOException | RuntimeException e) {
            device.destroy();
            throw e;
        }
        this.resolver = new EndpointResolver(name, hosts, resolverThread, new ResolvedEndpoints());
        this.receiver = daemon(this::receiveLoop, "wg-receive-" + name);
        this.timer = daemon(this::timerLoop, "wg-timer-" + name);
        receiver.start();
        timer.start();
        for (PeerConfig pc : config.peers()) {
            if (pc.endpoint() != null) {
                resolver.request(pc.publicKey(), pc.endpoint());
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ------------------------------------------------------------------ threads

    private void receiveLoop() {
        byte[] buf = new byte[RECEIVE_BUFFER];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        while (running) {
            SocketAddress from;
            try {
                bb.clear();
                from = socket.receive(bb);
            } catch (ClosedChannelException e) {
                if (running) {
                    recordError("socket closed unexpectedly");
                }
                return;
            } catch (IOException e) {
                if (running) {
                    recordError("receive failed: " + e.getMessage());
                }
                continue;
            }
            if (from == null) {
                return; // closed
            }
            if (!(from instanceof InetSocketAddress src)) {
                continue;
            }
            int len = bb.position();
            int inner = 0;
            lock.lock();
            try {
                long now = time.nanoTime();
                if (len >= RECEIVE_BUFFER) {
                    device.countDrop(DropReason.OVERSIZE);
                } else {
                    inner = device.receive(buf, 0, len, src, now, output);
                }
                wakeTimerIfEarlier();
            } catch (RuntimeException e) {
                // Nothing in a datagram may stop the loop: count it and go on.
                device.countDrop(DropReason.MALFORMED);
                LOG.debug("datagram from {} dropped: {}", src, e.toString());
            } finally {
                lock.unlock();
            }
            if (inner > 0) {
                // Outside the lock: the sink may send through this tunnel, or wait for a thread that does.
                deliver(buf, Device.INNER_OFFSET, inner);
            }
        }
    }

    private void deliver(byte[] buf, int off, int len) {
        try {
            sink.deliver(buf, off, len);
        } catch (RuntimeException e) {
            LOG.warn("tunnel {}: packet sink failed", name, e);
        }
    }

    private void timerLoop() {
        lock.lock();
        try {
            while (running) {
                long now = time.nanoTime();
                try {
                    device.tick(now, output);
                } catch (RuntimeException e) {
                    LOG.warn("timer of tunnel {} failed", name, e);
                }
                long next = device.nextDeadline();
                long wait = Math.min(MAX_TIMER_WAIT, Math.max(0, next == Long.MAX_VALUE ? MAX_TIMER_WAIT : next - now));
                scheduledWake = now + wait;
                if (wait > 0) {
                    timerWake.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Called under the lock after anything that may have armed an earlier timer. */
    private void wakeTimerIfEarlier() {
        if (device.nextDeadline() < scheduledWake) {
            timerWake.signal();
        }
    }

    // ------------------------------------------------------------------ resolution

    /** Applies the resolver's results to the device, under the lock. */
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
                }
                wakeTimerIfEarlier();
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

        /** The peer, if it is still open and configured with this endpoint. */
        private Peer wanting(PublicKey key, Endpoint endpoint) {
            if (!running) {
                return null;
            }
            Peer peer = device.peer(key);
            return peer != null && endpoint.equals(peer.config().endpoint()) ? peer : null;
        }
    }

    // ------------------------------------------------------------------ Tunnel

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean send(byte[] packet, int offset, int length) {
        lock.lock();
        try {
            if (!running) {
                return false;
            }
            boolean sent = device.send(packet, offset, length, time.nanoTime(), output);
            wakeTimerIfEarlier();
            return sent;
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
        List<PeerConfig> toResolve = new ArrayList<>();
        lock.lock();
        try {
            requireOpen();
            if (!newConfig.privateKey().equals(config.privateKey())) {
                throw new IllegalArgumentException("a new private key needs a new tunnel: close this one and open another");
            }
            if (newConfig.listenPort() != config.listenPort()) {
                socket.swapTo(newConfig.listenPort());
            }
            Set<PublicKey> keep = new HashSet<>();
            for (PeerConfig pc : newConfig.peers()) {
                keep.add(pc.publicKey());
                Peer existing = device.peer(pc.publicKey());
                boolean endpointChanged = existing == null
                        || !java.util.Objects.equals(existing.config().endpoint(), pc.endpoint());
                device.addPeer(pc);
                if (endpointChanged && pc.endpoint() != null) {
                    toResolve.add(pc);
                }
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
            wakeTimerIfEarlier();
        } finally {
            lock.unlock();
        }
        resolveAll(toResolve);
    }

    @Override
    public void rebind() throws IOException {
        List<PeerConfig> toResolve = new ArrayList<>();
        lock.lock();
        try {
            requireOpen();
            socket.swapTo(config.listenPort());
            long now = time.nanoTime();
            for (Peer p : device.peers()) {
                if (p.config().endpoint() != null) {
                    toResolve.add(p.config());
                }
            }
            // Our next authenticated packet tells each peer where we are now.
            device.keepaliveAll(now, output);
            wakeTimerIfEarlier();
        } finally {
            lock.unlock();
        }
        resolveAll(toResolve);
    }

    private void resolveAll(List<PeerConfig> peers) {
        for (PeerConfig pc : peers) {
            resolver.request(pc.publicKey(), pc.endpoint());
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
            timerWake.signalAll();
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
        join(receiver);
        join(timer);
        resolver.awaitClosed(2000);
        lock.lock();
        try {
            device.destroy();
        } finally {
            lock.unlock();
        }
        onClose.run();
    }

    /** Under the lock: a closed tunnel binds no socket again. */
    private void requireOpen() throws IOException {
        if (!running) {
            throw new IOException("tunnel " + name + " is closed");
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void recordError(String error) {
        lastError = error;
        LOG.warn("tunnel {}: {}", name, error);
    }

    /** Number of live threads of this tunnel; for leak tests. */
    boolean threadsAlive() {
        return receiver.isAlive() || timer.isAlive();
    }

    // ------------------------------------------------------------------ core output

    /** Sends through the current socket. Buffers are wrapped once per array. */
    private final class Output implements CoreOutput {
        private byte[] array1;
        private ByteBuffer buffer1;
        private byte[] array2;
        private ByteBuffer buffer2;

        @Override
        public void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len) {
            ByteBuffer bb = wrap(buf);
            bb.limit(off + len).position(off);
            try {
                socket.send(bb, to);
            } catch (IOException e) {
                // The uplink may be gone (roaming): timers retry, nothing to do but note it.
                lastError = "send to " + to + " failed: " + e.getMessage();
            }
        }

        private ByteBuffer wrap(byte[] buf) {
            if (buf == array1) {
                return buffer1.clear();
            }
            if (buf == array2) {
                return buffer2.clear();
            }
            array2 = array1;
            buffer2 = buffer1;
            array1 = buf;
            buffer1 = ByteBuffer.wrap(buf);
            return buffer1;
        }

        @Override
        public void endpointStale(Peer peer) {
            Endpoint e = peer.config().endpoint();
            if (e != null && peer.handshakeAttempts() % 3 == 2) {
                resolver.request(peer.publicKey(), e); // every third unanswered attempt, look the name up again
            }
        }
    }
}
