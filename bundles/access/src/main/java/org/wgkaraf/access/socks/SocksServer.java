package org.wgkaraf.access.socks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SocksRefusal;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.api.netif.TcpService;

/**
 * The SOCKS5 proxy without OSGi: listens on 127.0.0.1 only, and carries CONNECT requests to hosts
 * of a tunnel's subnet through {@link TcpService#connect}. Everything else is refused with the
 * RFC 1928 reply that says why ({@link SocksRefusal}) and counted.
 * <p>
 * It listens whenever its port is set, with or without a tunnel: without one a request into the
 * tunnel's subnet is answered "network unreachable", so a program learns why instead of finding
 * no proxy, and the port stays the same while the netif bundle is swapped.
 * <p>
 * Threads: one accept thread while listening ({@code wgkaraf-socks-accept-<port>}); per
 * connection, one thread for the handshake and then client-to-tunnel ({@code wgkaraf-socks-<n>}),
 * and one for tunnel-to-client ({@code wgkaraf-socks-<n>-down}), because both sides are blocking
 * streams. Each direction blocks while the other side does not take its bytes (backpressure), and
 * passes the end of its stream on as a half close.
 */
final class SocksServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocksServer.class);
    private static final InetAddress LOOPBACK = loopback();
    /** How long a refused client may take to send its request when the limit is reached. */
    private static final Duration LIMIT_HANDSHAKE = Duration.ofSeconds(1);
    /** After a refusal: how long its remaining bytes are read, so the reply is not lost to a reset. */
    private static final int DRAIN_MILLIS = 1_000;
    static final long STOP_MILLIS = 5_000;

    /**
     * @param limit            connections open at once (handshake or proxied); more are refused
     * @param handshakeTimeout for the greeting and the request together
     * @param connectTimeout   for connecting to the target through the tunnel. 60 s: when the
     *                         server has lost the session, the engine finds out only after 15 s
     *                         without an answer and hands the SYN retransmitted at 31 s to the new
     *                         session (TCP retransmits a SYN at 1, 3, 7, 15, 31, 63 s).
     */
    public record Settings(int limit, Duration handshakeTimeout, Duration connectTimeout) {
        public static final Settings DEFAULT = new Settings(32, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    private final Settings settings;
    private final Resolver resolver;
    private final ReentrantLock changes = new ReentrantLock();
    private final Object lock = new Object();
    private final Set<SocksConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong proxied = new AtomicLong();
    private final AtomicLongArray refusals = new AtomicLongArray(SocksRefusal.values().length);
    private final AtomicLong connectionIds = new AtomicLong();

    // Guarded by lock.
    private int port;
    private TcpService tcp;
    private Reachability reach;
    private Acceptor acceptor;
    private Failure failure;
    private boolean closed;

    SocksServer(int port, Settings settings, Resolver resolver) {
        this.port = port;
        this.settings = settings;
        this.resolver = resolver;
        reconcile();
    }

    /** A new port: the listener moves and proxied connections stay; 0 closes both. */
    public void setPort(int newPort) {
        synchronized (lock) {
            if (newPort == port) {
                return;
            }
            port = newPort;
        }
        reconcile();
        if (newPort == 0) {
            closeConnections(p -> true);
        }
    }

    /** The tunnel to reach through: its TCP service and its routes; nulls while there is none. */
    public void setTunnel(TcpService service, Reachability routes) {
        TcpService previous;
        synchronized (lock) {
            previous = tcp;
            tcp = service;
            reach = routes;
        }
        if (previous != null && previous != service) {
            closeConnections(p -> p.origin == previous);
        }
        reconcile();
    }

    public SocksStatus status() {
        Map<SocksRefusal, Long> byReason = new EnumMap<>(SocksRefusal.class);
        for (SocksRefusal r : SocksRefusal.values()) {
            long n = refusals.get(r.ordinal());
            if (n > 0) {
                byReason.put(r, n);
            }
        }
        synchronized (lock) {
            ListenerState state;
            String detail = null;
            if (port == 0) {
                state = ListenerState.OFF;
                detail = "socks_port is 0";
            } else if (acceptor != null) {
                state = ListenerState.LISTENING;
                if (reach == null) {
                    detail = "no routes (the netif bundle is not running): every request is answered 'network unreachable'";
                } else if (tcp == null) {
                    detail = "no TCP through the tunnel (the netif bundle's TcpService is not running):"
                            + " requests into a tunnel's subnet are answered 'network unreachable'";
                }
            } else if (failed()) {
                state = ListenerState.FAILED;
                detail = failure.why;
            } else {
                state = ListenerState.WAITING;
                detail = "starting";
            }
            return new SocksStatus(port, state, detail, open.size(), settings.limit(), accepted.get(), proxied.get(), byReason);
        }
    }

    /** Stops listening, closes every connection and waits for their threads (a few seconds at most). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        reconcile();
        List<SocksConnection> all = closeConnections(p -> true);
        for (SocksConnection p : all) {
            p.join();
        }
    }

    private boolean failed() {
        return failure != null && failure.port == port;
    }

    private record Failure(int port, String why) {
    }

    private void reconcile() {
        changes.lock();
        try {
            Acceptor stale = null;
            int want;
            synchronized (lock) {
                boolean should = !closed && port > 0;
                if (acceptor != null && (!should || acceptor.port != port)) {
                    stale = acceptor;
                    acceptor = null;
                }
                want = should && acceptor == null && !failed() ? port : 0;
            }
            if (stale != null) {
                stale.stop();
                LOG.info("SOCKS5 proxy stopped listening on 127.0.0.1:{}", stale.port);
            }
            if (want == 0) {
                return;
            }
            ServerSocket socket = null;
            try {
                socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(LOOPBACK, want), 16);
            } catch (IOException e) {
                closeQuietly(socket);
                String why = "127.0.0.1:" + want + ": " + e.getMessage();
                synchronized (lock) {
                    failure = new Failure(want, why);
                }
                LOG.warn("SOCKS5 proxy cannot listen on {}; it tries again when socks_port changes", why);
                return;
            }
            Acceptor a = new Acceptor(socket, want);
            synchronized (lock) {
                acceptor = a;
                failure = null;
            }
            a.thread.start();
            LOG.info("SOCKS5 proxy listening on 127.0.0.1:{}", want);
        } finally {
            changes.unlock();
        }
        boolean again;
        synchronized (lock) {
            again = acceptor != null && (closed || acceptor.port != port);
        }
        if (again) {
            reconcile();
        }
    }

    private List<SocksConnection> closeConnections(java.util.function.Predicate<SocksConnection> which) {
        List<SocksConnection> list = new ArrayList<>();
        for (SocksConnection p : open) {
            if (which.test(p)) {
                list.add(p);
                p.abort();
            }
        }
        return list;
    }

    void count(SocksRefusal reason) {
        refusals.incrementAndGet(reason.ordinal());
    }

    /** A connection reached its target. */
    void proxiedOne() {
        proxied.incrementAndGet();
    }

    /** A connection ended. */
    void ended(SocksConnection c) {
        open.remove(c);
    }

    Settings settings() {
        return settings;
    }

    Resolver resolver() {
        return resolver;
    }

    /** The TCP service and the tunnels' subnets as they are now; either may be null. */
    record Tunnel(TcpService service, Reachability routes) {
    }

    Tunnel tunnel() {
        synchronized (lock) {
            return new Tunnel(tcp, reach);
        }
    }

    private final class Acceptor {
        final ServerSocket socket;
        final int port;
        final Thread thread;
        volatile boolean running = true;

        Acceptor(ServerSocket socket, int port) {
            this.socket = socket;
            this.port = port;
            this.thread = new Thread(this::run, "wgkaraf-socks-accept-" + port);
            thread.setDaemon(true);
        }

        void run() {
            while (running) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    if (running) {
                        LOG.warn("SOCKS5 proxy on 127.0.0.1:{} failed to accept", port, e);
                        lost(this, e);
                    }
                    return;
                }
                accepted.incrementAndGet();
                if (open.size() >= settings.limit()) {
                    refuseAtLimit(client);
                    continue;
                }
                SocksConnection p = new SocksConnection(client, connectionIds.incrementAndGet(), SocksServer.this);
                open.add(p);
                p.start();
            }
        }

        void stop() {
            running = false;
            closeQuietly(socket);
            try {
                thread.join(STOP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("SOCKS5 proxy: {} did not end", thread.getName());
            }
        }
    }

    private void lost(Acceptor a, IOException e) {
        synchronized (lock) {
            if (acceptor != a) {
                return;
            }
            acceptor = null;
            failure = new Failure(a.port, "127.0.0.1:" + a.port + ": " + e.getMessage());
        }
        closeQuietly(a.socket);
    }

    /** On the accept thread: answers the handshake with "general failure" and closes, within a second. */
    private void refuseAtLimit(Socket client) {
        count(SocksRefusal.LIMIT);
        try {
            Socks5.handshake(client, System.nanoTime() + LIMIT_HANDSHAKE.toNanos());
            Socks5.reply(client.getOutputStream(), SocksRefusal.LIMIT.reply(), null);
        } catch (Socks5.Refused | IOException | RuntimeException e) {
            // Counted as over the limit whatever else was wrong with it.
        }
        finish(client);
        LOG.debug("SOCKS5 proxy refused a connection: {} are open", settings.limit());
    }

    /** Sends FIN, reads what the client still sends (briefly), and closes: a reset would lose the reply. */
    static void finish(Socket client) {
        try {
            client.shutdownOutput();
            client.setSoTimeout(DRAIN_MILLIS);
            InputStream in = client.getInputStream();
            byte[] sink = new byte[512];
            long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            while (System.nanoTime() < deadline && in.read(sink) >= 0) {
                // Discarded.
            }
        } catch (IOException e) {
            // Closed or timed out: close below either way.
        }
        closeQuietly(client);
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Closing.
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
