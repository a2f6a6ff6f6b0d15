package org.wgkaraf.access;

import java.io.FilterOutputStream;
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
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.api.netif.TcpService;

/**
 * A {@link TcpService} over OS sockets on loopback, for tests: the tunnel's ports are mapped to
 * ephemeral ports of 127.0.0.1, and the addresses it reports are the ones a tunnel would.
 * <ul>
 * <li>A listened port of the tunnel ({@code listen(22, …)}) is a server socket on 127.0.0.1;
 * {@link #osPort} says which. Its connections report the module's tunnel address as local and
 * {@code peer}:(the client's port) as remote: the owner's address, not the loopback the test
 * client really comes from.</li>
 * <li>{@code connect} reaches the targets the test maps ({@link #forward}, {@link #silent},
 * {@link #noRoute}); any other address is refused, as a host answering with a reset would.</li>
 * </ul>
 */
public final class LoopbackTcpService implements TcpService, AutoCloseable {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Inet4Address local;
    private final Inet4Address peer;
    private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Target> targets = new ConcurrentHashMap<>();
    private final Set<SocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger listens = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();

    private sealed interface Target {
    }

    private record Forward(int osPort) implements Target {
    }

    private record Silent() implements Target {
    }

    private record NoRoute() implements Target {
    }

    /**
     * @param local the module's tunnel address
     * @param peer  the address accepted connections come from, as the tunnel would report it
     */
    public LoopbackTcpService(Inet4Address local, Inet4Address peer) {
        this.local = local;
        this.peer = peer;
    }

    public static Inet4Address ip(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (IOException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    /** Connections to {@code address:port} go to 127.0.0.1:{@code osPort}. */
    public void forward(Inet4Address address, int port, int osPort) {
        targets.put(new InetSocketAddress(address, port), new Forward(osPort));
    }

    /** Connections to {@code address:port} get no answer: connect times out, as the interface says. */
    public void silent(Inet4Address address, int port) {
        targets.put(new InetSocketAddress(address, port), new Silent());
    }

    /** Connections to {@code address:port} find no route (the link went down, or ICMP host unreachable). */
    public void noRoute(Inet4Address address, int port) {
        targets.put(new InetSocketAddress(address, port), new NoRoute());
    }

    /** The OS port on 127.0.0.1 where the tunnel's {@code port} listens, or -1 when it does not. */
    public int osPort(int port) {
        Listener l = listeners.get(port);
        return l == null ? -1 : l.socket.getLocalPort();
    }

    /** The tunnel's ports listened on now. */
    public Set<Integer> listening() {
        return Set.copyOf(listeners.keySet());
    }

    /** How many times {@code listen} succeeded. */
    public int listens() {
        return listens.get();
    }

    /** How many times {@code connect} was called. */
    public int connects() {
        return connects.get();
    }

    /** Connections accepted or connected and not closed yet. */
    public int openConnections() {
        return (int) connections.stream().filter(c -> !c.socket.isClosed()).count();
    }

    @Override
    public TcpListener listen(int port, int backlog) throws IOException {
        if (port < 1 || port > 65535 || backlog < 1) {
            throw new IllegalArgumentException("port " + port + ", backlog " + backlog);
        }
        ServerSocket s = new ServerSocket(0, backlog, LOOPBACK);
        Listener l = new Listener(port, s);
        if (listeners.putIfAbsent(port, l) != null) {
            s.close();
            throw new IOException("port " + port + " is listened on already");
        }
        listens.incrementAndGet();
        return l;
    }

    @Override
    public TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException, InterruptedException {
        connects.incrementAndGet();
        Target t = targets.get(new InetSocketAddress(address, port));
        if (t instanceof NoRoute) {
            throw new NoRouteToHostException("no route to " + address.getHostAddress());
        }
        if (t instanceof Silent) {
            Thread.sleep(timeout.toMillis());
            throw new SocketTimeoutException("no answer from " + address.getHostAddress() + ":" + port);
        }
        if (!(t instanceof Forward f)) {
            throw new ConnectException("Connection refused by " + address.getHostAddress() + ":" + port);
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(LOOPBACK, f.osPort()), (int) timeout.toMillis());
        } catch (IOException e) {
            s.close();
            throw e;
        }
        s.setTcpNoDelay(true);
        SocketConnection c = new SocketConnection(s, new InetSocketAddress(local, s.getLocalPort()),
                new InetSocketAddress(address, port));
        connections.add(c);
        return c;
    }

    @Override
    public void close() {
        for (Listener l : listeners.values()) {
            l.close();
        }
        for (SocketConnection c : connections) {
            c.abort();
        }
    }

    private final class Listener implements TcpListener {
        final int port;
        final ServerSocket socket;

        Listener(int port, ServerSocket socket) {
            this.port = port;
            this.socket = socket;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public TcpConnection accept(Duration timeout) throws IOException {
            Socket s;
            try {
                socket.setSoTimeout((int) Math.max(1, Math.min(timeout.toMillis(), Integer.MAX_VALUE)));
                s = socket.accept();
            } catch (SocketTimeoutException e) {
                return null;
            }
            s.setTcpNoDelay(true);
            SocketConnection c = new SocketConnection(s, new InetSocketAddress(local, port),
                    new InetSocketAddress(peer, s.getPort()));
            connections.add(c);
            return c;
        }

        @Override
        public void close() {
            listeners.remove(port, this);
            try {
                socket.close();
            } catch (IOException e) {
                // Closing.
            }
        }
    }

    /** A TCP connection over an OS socket, with the addresses the tunnel would report. */
    public static final class SocketConnection implements TcpConnection {
        final Socket socket;
        private final InetSocketAddress local;
        private final InetSocketAddress remote;
        private final InputStream input;
        private final OutputStream output;

        SocketConnection(Socket socket, InetSocketAddress local, InetSocketAddress remote) throws IOException {
            this.socket = socket;
            this.local = local;
            this.remote = remote;
            this.input = socket.getInputStream();
            this.output = new FilterOutputStream(socket.getOutputStream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    shutdownOutput();
                }
            };
        }

        @Override
        public InetSocketAddress local() {
            return local;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void shutdownOutput() {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                // Closed already.
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing.
            }
        }

        @Override
        public void abort() {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException e) {
                // Closed already.
            }
            close();
        }
    }
}
