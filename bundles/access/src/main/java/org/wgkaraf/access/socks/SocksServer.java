package org.wgkaraf.access.socks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import org.wgkaraf.access.socks.Reachability.Reach;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SocksRefusal;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.api.netif.TcpConnection;
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
    private static final int BUFFER = 16 * 1024;
    /** How long a refused client may take to send its request when the limit is reached. */
    private static final Duration LIMIT_HANDSHAKE = Duration.ofSeconds(1);
    /** After a refusal: how long its remaining bytes are read, so the reply is not lost to a reset. */
    private static final int DRAIN_MILLIS = 1_000;
    private static final long STOP_MILLIS = 5_000;

    /**
     * @param limit            connections open at once (handshake or proxied); more are refused
     * @param handshakeTimeout for the greeting and the request together
     * @param connectTimeout   for connecting to the target through the tunnel
     */
    public record Settings(int limit, Duration handshakeTimeout, Duration connectTimeout) {
        public static final Settings DEFAULT = new Settings(32, Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    private final Settings settings;
    private final Resolver resolver;
    private final ReentrantLock changes = new ReentrantLock();
    private final Object lock = new Object();
    private final Set<Proxied> open = ConcurrentHashMap.newKeySet();
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
        List<Proxied> all = closeConnections(p -> true);
        for (Proxied p : all) {
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

    private List<Proxied> closeConnections(java.util.function.Predicate<Proxied> which) {
        List<Proxied> list = new ArrayList<>();
        for (Proxied p : open) {
            if (which.test(p)) {
                list.add(p);
                p.abort();
            }
        }
        return list;
    }

    private void count(SocksRefusal reason) {
        refusals.incrementAndGet(reason.ordinal());
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
                Proxied p = new Proxied(client, connectionIds.incrementAndGet());
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
    private static void finish(Socket client) {
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

    /** One client connection, from its greeting to its close. */
    private final class Proxied {
        final Socket client;
        final long id;
        final Thread up;
        volatile Thread down;
        volatile TcpConnection target;
        volatile TcpService origin;
        volatile boolean aborted;

        Proxied(Socket client, long id) {
            this.client = client;
            this.id = id;
            this.up = new Thread(this::run, "wgkaraf-socks-" + id);
            up.setDaemon(true);
        }

        void start() {
            up.start();
        }

        void run() {
            try {
                serve();
            } catch (RuntimeException e) {
                LOG.warn("SOCKS5 proxy: connection {} failed", id, e);
            } finally {
                closeQuietly(client);
                TcpConnection t = target;
                if (t != null) {
                    if (aborted) {
                        t.abort();
                    } else {
                        t.close();
                    }
                }
                Thread d = down;
                if (d != null) {
                    try {
                        d.join(STOP_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                open.remove(this);
            }
        }

        private void serve() {
            Socks5.Request request;
            try {
                request = Socks5.handshake(client, System.nanoTime() + settings.handshakeTimeout().toNanos());
                client.setSoTimeout(0);
            } catch (Socks5.Refused r) {
                refuse(r.reason, r.reply, r.getMessage());
                return;
            } catch (IOException e) {
                if (!aborted) {
                    LOG.debug("SOCKS5 proxy: connection {} lost in the handshake", id, e);
                    count(SocksRefusal.MALFORMED);
                }
                return;
            }
            TcpService service;
            Reachability routes;
            synchronized (lock) {
                service = tcp;
                routes = reach;
            }
            if (routes == null) {
                refuse(SocksRefusal.NETWORK_UNREACHABLE, true, request.target() + ": no tunnel");
                return;
            }
            Inet4Address address;
            try {
                address = choose(request, routes);
            } catch (Socks5.Refused r) {
                refuse(r.reason, true, r.getMessage());
                return;
            }
            if (service == null) {
                refuse(SocksRefusal.NETWORK_UNREACHABLE, true, request.target() + ": no TCP through the tunnel");
                return;
            }
            TcpConnection connection;
            try {
                origin = service;
                connection = service.connect(address, request.port(), settings.connectTimeout());
            } catch (ConnectException e) {
                refuse(SocksRefusal.CONNECTION_REFUSED, true, request.target() + " refused the connection");
                return;
            } catch (SocketTimeoutException e) {
                refuse(SocksRefusal.TIMEOUT, true, request.target() + " did not answer");
                return;
            } catch (NoRouteToHostException e) {
                SocksRefusal why = routes.of(address) == Reach.INSIDE ? SocksRefusal.HOST_UNREACHABLE
                        : SocksRefusal.NETWORK_UNREACHABLE;
                refuse(why, true, request.target() + ": " + e.getMessage());
                return;
            } catch (IOException e) {
                refuse(SocksRefusal.FAILURE, true, request.target() + ": " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                refuse(SocksRefusal.FAILURE, true, request.target() + ": the proxy is stopping");
                return;
            }
            target = connection;
            if (aborted) {
                return;
            }
            proxied.incrementAndGet();
            try {
                Socks5.reply(client.getOutputStream(), Socks5.SUCCEEDED, connection.local());
            } catch (IOException e) {
                LOG.debug("SOCKS5 proxy: client {} went before the reply", id, e);
                return;
            }
            LOG.debug("SOCKS5 proxy: connection {} to {}", id, request.target());
            Thread d = new Thread(this::downstream, "wgkaraf-socks-" + id + "-down");
            d.setDaemon(true);
            down = d;
            d.start();
            upstream(connection);
        }

        /** The address to connect to: the request's, or the first of the name's that lies in a tunnel's subnet. */
        private Inet4Address choose(Socks5.Request request, Reachability routes) throws Socks5.Refused {
            if (request.address() != null) {
                return check(request.address(), routes.of(request.address()), request);
            }
            InetAddress[] all;
            try {
                all = resolver.resolve(request.host());
            } catch (UnknownHostException e) {
                throw new Socks5.Refused(SocksRefusal.HOST_UNREACHABLE, true, request.host() + " does not resolve");
            }
            Inet4Address tunnelDown = null;
            Inet4Address outside = null;
            for (InetAddress a : all) {
                if (a instanceof Inet4Address v4) {
                    Reach r = routes.of(v4);
                    if (r == Reach.INSIDE) {
                        return v4;
                    }
                    if (r == Reach.TUNNEL_DOWN && tunnelDown == null) {
                        tunnelDown = v4;
                    } else if (r == Reach.OUTSIDE && outside == null) {
                        outside = v4;
                    }
                }
            }
            if (tunnelDown != null) {
                return check(tunnelDown, Reach.TUNNEL_DOWN, request);
            }
            if (outside != null) {
                return check(outside, Reach.OUTSIDE, request);
            }
            throw new Socks5.Refused(SocksRefusal.HOST_UNREACHABLE, true, request.host() + " has no IPv4 address");
        }

        private Inet4Address check(Inet4Address a, Reach r, Socks5.Request request) throws Socks5.Refused {
            return switch (r) {
                case INSIDE -> a;
                case TUNNEL_DOWN -> throw new Socks5.Refused(SocksRefusal.NETWORK_UNREACHABLE, true,
                        request.target() + " (" + a.getHostAddress() + "): the tunnel is down");
                case OUTSIDE -> throw new Socks5.Refused(SocksRefusal.NOT_ALLOWED, true,
                        request.target() + " (" + a.getHostAddress() + ") is outside the tunnel's subnet");
            };
        }

        private void refuse(SocksRefusal reason, boolean reply, String why) {
            count(reason);
            LOG.debug("SOCKS5 proxy refused connection {}: {} ({})", id, reason.description(), why);
            if (reply) {
                try {
                    Socks5.reply(client.getOutputStream(), reason.reply(), null);
                } catch (IOException e) {
                    // The client went: nothing to tell.
                }
            }
            finish(client);
        }

        /** Client to tunnel, on the connection's first thread; the client's EOF becomes a FIN to the target. */
        private void upstream(TcpConnection connection) {
            byte[] buf = new byte[BUFFER];
            try {
                InputStream in = client.getInputStream();
                OutputStream out = connection.output();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                connection.shutdownOutput();
            } catch (IOException e) {
                if (!aborted) {
                    LOG.debug("SOCKS5 proxy: connection {} client side ended", id, e);
                }
                abort();
            }
            Thread d = down;
            try {
                d.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort();
            }
        }

        /** Tunnel to client; the target's EOF becomes a FIN to the client. */
        private void downstream() {
            byte[] buf = new byte[BUFFER];
            try {
                InputStream in = target.input();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                client.shutdownOutput();
            } catch (IOException e) {
                if (!aborted) {
                    LOG.debug("SOCKS5 proxy: connection {} tunnel side ended", id, e);
                }
                abort();
            }
        }

        /** Both sides at once: blocked reads, writes and a pending connect wake. */
        void abort() {
            aborted = true;
            closeQuietly(client);
            TcpConnection t = target;
            if (t != null) {
                t.abort();
            }
            up.interrupt();
        }

        void join() {
            try {
                up.join(STOP_MILLIS);
                Thread d = down;
                if (d != null) {
                    d.join(STOP_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (up.isAlive() || down != null && down.isAlive()) {
                LOG.warn("SOCKS5 proxy: the threads of connection {} did not end", id);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
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
