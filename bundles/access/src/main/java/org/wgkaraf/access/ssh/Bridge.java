package org.wgkaraf.access.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.SshFutureListener;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SshBridgeStatus;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.api.netif.TcpService;

/**
 * The SSH bridge without OSGi: listens on a port of the tunnel through a {@link TcpService} and
 * hands each connection to an SSH server's own session handler, over a {@link TunnelIoSession}.
 * <p>
 * Its inputs change at any time and from any thread: the port, the TCP service, the SSH servers
 * (Karaf's ssh bundle registers a new one at each reconfiguration and leaves the stopped one
 * registered). Each change is applied under one lock ({@code changes}), which may wait for the
 * accept thread to end; the accept thread takes only the state lock, briefly, and no lock is held
 * while calling out to a TCP service or an SSH server.
 * <p>
 * Threads: one accept thread while listening ({@code wgkaraf-ssh-accept-<port>}), two per open
 * connection (see {@link TunnelIoSession}). At most {@link #MAX_CONNECTIONS} connections are open
 * at once; more are closed as they arrive and counted.
 * <p>
 * (About 440 lines, one file on purpose: the port, the TCP service and the SSH servers change
 * independently and from any thread, and every rule about them is one reconciliation read in one
 * place; the per-connection work is in {@link TunnelIoSession}.)
 */
final class Bridge implements AutoCloseable {
    /** Enough for an owner's console, a file transfer and a spare; an SSH client multiplexes more on one. */
    static final int MAX_CONNECTIONS = 8;
    static final int BACKLOG = 4;
    private static final Duration ACCEPT_WAIT = Duration.ofSeconds(30);
    private static final long STOP_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final ReentrantLock changes = new ReentrantLock();
    private final Object lock = new Object();
    private final TunnelIoService service = new TunnelIoService();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    // Guarded by lock.
    private int port;
    private TcpService tcp;
    private final NavigableMap<Long, SshServer> servers = new TreeMap<>();
    private final Map<SshServer, SshFutureListener<CloseFuture>> closeListeners = new HashMap<>();
    private Acceptor acceptor;
    private Failure failure;
    private boolean closed;

    /** Listens on {@code port} (0 = off) once a TCP service and an SSH server are there. */
    public Bridge(int port) {
        this.port = port;
    }

    /** A new port: the listener moves and open sessions stay; 0 closes the listener and every session. */
    public void setPort(int newPort) {
        synchronized (lock) {
            if (newPort == port) {
                return;
            }
            port = newPort;
        }
        reconcile();
        if (newPort == 0) {
            closeSessions(s -> true);
        }
    }

    /** The TCP service to listen through (the newest one bound). */
    public void addTcpService(TcpService service) {
        synchronized (lock) {
            tcp = service;
        }
        reconcile();
    }

    /** The TCP service went: its listener and connections are gone with it. */
    public void removeTcpService(TcpService service) {
        synchronized (lock) {
            if (tcp == service) {
                tcp = null;
            }
        }
        closeSessions(s -> s.origin() == service);
        reconcile();
    }

    /**
     * An SSH server registered as a service. The newest open one serves new connections.
     *
     * @param serviceId its {@code service.id}: a higher one was registered later
     */
    public void addServer(SshServer server, long serviceId) {
        SshFutureListener<CloseFuture> onClose = f -> serverClosed(server);
        synchronized (lock) {
            servers.put(serviceId, server);
            closeListeners.put(server, onClose);
            failure = null;
        }
        // Called at once if the server is closed already.
        server.addCloseFutureListener(onClose);
        reconcile();
    }

    public void removeServer(SshServer server, long serviceId) {
        SshFutureListener<CloseFuture> onClose;
        synchronized (lock) {
            servers.remove(serviceId, server);
            onClose = servers.containsValue(server) ? null : closeListeners.remove(server);
        }
        if (onClose != null) {
            server.removeCloseFutureListener(onClose);
        }
        closeSessions(s -> s.owner() == server);
        reconcile();
    }

    private void serverClosed(SshServer server) {
        closeSessions(s -> s.owner() == server);
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        reconcile();
    }

    public SshBridgeStatus status() {
        List<SshBridgeStatus.Session> sessions = new ArrayList<>();
        for (TunnelIoSession s : sessions()) {
            if (s.isOpen()) {
                sessions.add(new SshBridgeStatus.Session((InetSocketAddress) s.getRemoteAddress(), s.user(), s.opened()));
            }
        }
        sessions.sort(Comparator.comparing(SshBridgeStatus.Session::opened));
        synchronized (lock) {
            ListenerState state;
            String detail = null;
            if (port == 0) {
                state = ListenerState.OFF;
                detail = "ssh_port is 0";
            } else if (acceptor != null) {
                state = ListenerState.LISTENING;
                SshServer server = newestOpenServer();
                if (server != null && server.getSessionFactory() == null) {
                    detail = "Karaf's SSH server has not started (see Karaf's log): connections are closed at once";
                }
            } else if (failed()) {
                state = ListenerState.FAILED;
                detail = failure.why;
            } else {
                state = ListenerState.WAITING;
                detail = waitingFor();
            }
            return new SshBridgeStatus(port, state, detail, sessions, accepted.get(), refused.get());
        }
    }

    /** Stops listening and closes every session; waits for their threads (a few seconds at most). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        reconcile();
        List<TunnelIoSession> open = closeSessions(s -> true);
        service.close(true);
        awaitEnd(open);
        Map<SshServer, SshFutureListener<CloseFuture>> listeners;
        synchronized (lock) {
            listeners = new HashMap<>(closeListeners);
            closeListeners.clear();
            servers.clear();
        }
        listeners.forEach((server, l) -> server.removeCloseFutureListener(l));
    }

    /** The threads of every session this bridge has open (tests check that none are left). */
    List<TunnelIoSession> sessions() {
        List<TunnelIoSession> list = new ArrayList<>();
        for (IoSession s : service.getManagedSessions().values()) {
            list.add((TunnelIoSession) s);
        }
        return list;
    }

    /** The last attempt to listen on the current port through the current TCP service failed. */
    private boolean failed() {
        return failure != null && failure.port == port && failure.tcp == tcp;
    }

    /** Why listening on a port through a TCP service failed; tried again once either changes (or a server comes). */
    private record Failure(int port, TcpService tcp, String why) {
    }

    private String waitingFor() {
        if (tcp == null) {
            return "no TCP through the tunnel (the netif bundle's TcpService is not running)";
        }
        return "Karaf's SSH server is not running (feature ssh, karaf.startRemoteShell=true)";
    }

    private SshServer newestOpenServer() {
        for (SshServer s : servers.descendingMap().values()) {
            if (s.isOpen()) {
                return s;
            }
        }
        return null;
    }

    private void reconcile() {
        changes.lock();
        try {
            Acceptor stale = null;
            int wantPort;
            TcpService wantTcp;
            synchronized (lock) {
                boolean should = !closed && port > 0 && tcp != null && newestOpenServer() != null;
                if (acceptor != null && (!should || acceptor.port != port || acceptor.tcp != tcp)) {
                    stale = acceptor;
                    acceptor = null;
                    service.setBoundAddress(null);
                }
                wantPort = should && acceptor == null && !failed() ? port : 0;
                wantTcp = tcp;
            }
            if (stale != null) {
                stale.stop();
                LOG.info("SSH bridge stopped listening on port {} of the tunnel", stale.port);
            }
            if (wantPort == 0) {
                return;
            }
            TcpListener listener;
            try {
                listener = wantTcp.listen(wantPort, BACKLOG);
            } catch (IOException | RuntimeException e) {
                String why = "port " + wantPort + " of the tunnel: " + e.getMessage();
                synchronized (lock) {
                    failure = new Failure(wantPort, wantTcp, why);
                }
                LOG.warn("SSH bridge cannot listen on {}; it tries again when ssh_port, the TCP layer or Karaf's SSH server changes",
                        why);
                return;
            }
            Acceptor a = new Acceptor(listener, wantTcp, wantPort);
            synchronized (lock) {
                acceptor = a;
                service.setBoundAddress(new InetSocketAddress(wantPort));
            }
            a.thread.start();
            LOG.info("SSH bridge listening on port {} of the tunnel", wantPort);
        } finally {
            changes.unlock();
        }
        // A change that arrived while listen() ran is applied now.
        boolean again;
        synchronized (lock) {
            again = acceptor != null && (closed || acceptor.port != port || acceptor.tcp != tcp);
        }
        if (again) {
            reconcile();
        }
    }

    /** Hands a connection from the tunnel to the newest open SSH server, or closes it. */
    private void handOver(TcpConnection connection, TcpService origin) {
        SshServer server;
        int open;
        synchronized (lock) {
            server = closed || port == 0 ? null : newestOpenServer();
            open = service.getManagedSessions().size();
        }
        SessionFactory handler = server == null ? null : server.getSessionFactory();
        if (handler == null) {
            refuse(connection, "Karaf's SSH server is not running");
            return;
        }
        if (open >= MAX_CONNECTIONS) {
            refuse(connection, MAX_CONNECTIONS + " connections are open already");
            return;
        }
        IoServiceEventListener events = server.getIoServiceEventListener();
        if (events != null) {
            try {
                events.connectionAccepted(service, connection.local(), connection.remote(), connection.local());
            } catch (IOException | RuntimeException e) {
                refuse(connection, "the SSH server's connection filter refused it (" + e.getMessage() + ")");
                return;
            }
        }
        TunnelIoSession session = new TunnelIoSession(service, handler, connection, server, origin,
                SshServer.class.getClassLoader());
        synchronized (lock) {
            if (closed || !servers.containsValue(server)) {
                session = null;
            } else {
                service.register(session);
            }
        }
        if (session == null) {
            refuse(connection, "Karaf's SSH server went away");
            return;
        }
        accepted.incrementAndGet();
        LOG.debug("SSH bridge: connection from {} handed to {}", connection.remote(), server);
        session.start();
    }

    private void refuse(TcpConnection connection, String why) {
        refused.incrementAndGet();
        LOG.info("SSH bridge refused a connection from {}: {}", connection.remote(), why);
        connection.close();
    }

    private List<TunnelIoSession> closeSessions(java.util.function.Predicate<TunnelIoSession> which) {
        List<TunnelIoSession> list = new ArrayList<>();
        for (TunnelIoSession s : sessions()) {
            if (which.test(s)) {
                list.add(s);
                s.close(true);
            }
        }
        return list;
    }

    private static void awaitEnd(List<TunnelIoSession> sessions) {
        try {
            for (TunnelIoSession s : sessions) {
                if (!s.awaitThreads(STOP_MILLIS)) {
                    s.abort();
                    if (!s.awaitThreads(STOP_MILLIS)) {
                        LOG.warn("SSH bridge: the threads of {} did not end", s);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The accept thread of one listener. */
    private final class Acceptor {
        final TcpListener listener;
        final TcpService tcp;
        final int port;
        final Thread thread;
        volatile boolean running = true;

        Acceptor(TcpListener listener, TcpService tcp, int port) {
            this.listener = listener;
            this.tcp = tcp;
            this.port = port;
            this.thread = new Thread(this::run, "wgkaraf-ssh-accept-" + port);
            thread.setDaemon(true);
        }

        void run() {
            while (running) {
                TcpConnection c;
                try {
                    c = listener.accept(ACCEPT_WAIT);
                } catch (IOException e) {
                    if (running) {
                        listenerLost(this, e);
                    }
                    return;
                } catch (InterruptedException e) {
                    return;
                }
                if (c == null) {
                    continue;
                }
                if (!running) {
                    c.close();
                    return;
                }
                try {
                    handOver(c, tcp);
                } catch (RuntimeException e) {
                    refused.incrementAndGet();
                    LOG.warn("SSH bridge could not serve a connection from {}", c.remote(), e);
                    c.abort();
                }
            }
        }

        void stop() {
            running = false;
            listener.close();
            try {
                thread.join(STOP_MILLIS);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(STOP_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("SSH bridge: {} did not end", thread.getName());
            }
        }
    }

    private void listenerLost(Acceptor a, IOException e) {
        String why = "port " + a.port + " of the tunnel: the TCP layer closed the listener (" + e.getMessage() + ")";
        synchronized (lock) {
            if (acceptor != a) {
                return;
            }
            acceptor = null;
            service.setBoundAddress(null);
            failure = new Failure(a.port, a.tcp, why);
        }
        a.listener.close();
        LOG.warn("SSH bridge stopped: {}; it tries again when ssh_port, the TCP layer or Karaf's SSH server changes", why);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "SSH bridge (port " + port + ")";
        }
    }
}
