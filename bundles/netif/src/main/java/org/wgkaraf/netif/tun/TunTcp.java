package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.netif.spi.AcceptQueue;

/**
 * TCP on the TUN backend: the OS carries it, so this only makes OS sockets, always bound to a TUN
 * interface's own address and never to the wildcard, so nothing listens on a public interface. A
 * listening port gets a server socket on every TUN interface, those present and those attached
 * later; one thread, {@value #ACCEPT_THREAD}, accepts on all of them and hands connections to the
 * listener's queue. Its lock guards the interfaces and ports; no socket call blocks under it but
 * bind, which does not wait on the network.
 */
final class TunTcp implements AutoCloseable {
    static final String ACCEPT_THREAD = "wgkaraf-tcp-tun-accept";
    private static final Logger LOG = LoggerFactory.getLogger(TunTcp.class);

    private record Interface(String name, Inet4Address address, int bits, int prefix, int mask) {
        boolean covers(int a) {
            return ((a ^ bits) & mask) == 0;
        }
    }

    private final List<Interface> interfaces = new ArrayList<>();
    private final Map<Integer, Port> ports = new HashMap<>();
    private final Set<TunTcpConnection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Selector selector;
    private Thread acceptor;
    private boolean closed;

    private static int bits(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** A TUN interface is up with this address: every listening port is bound on it too. */
    synchronized void interfaceUp(String name, Inet4Address address, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        Interface i = new Interface(name, address, bits(address), prefixLength, mask);
        interfaces.add(i);
        for (Port p : ports.values()) {
            try {
                p.bind(i);
            } catch (IOException e) {
                LOG.warn("TCP port {} cannot be listened on {} ({}): {}", p.port, name, address.getHostAddress(), e.getMessage());
            }
        }
    }

    /** The TUN interface with this address is gone: its server sockets close. */
    synchronized void interfaceDown(Inet4Address address) {
        interfaces.removeIf(i -> i.address.equals(address));
        for (Port p : ports.values()) {
            p.unbind(address);
        }
    }

    synchronized AutoCloseable listen(int port, AcceptQueue queue) throws IOException {
        if (closed) {
            throw new IOException("the TUN backend is stopped");
        }
        if (ports.containsKey(port)) {
            throw new IOException("TCP port " + port + " is listened on already");
        }
        Port p = new Port(port, queue);
        try {
            for (Interface i : interfaces) {
                p.bind(i);
            }
        } catch (IOException e) {
            p.unbindAll();
            throw e;
        }
        ports.put(port, p);
        return p;
    }

    private synchronized void unlisten(Port p) {
        ports.remove(p.port, p);
        p.unbindAll();
    }

    private synchronized Interface route(int address) {
        Interface best = null;
        for (Interface i : interfaces) {
            if (i.covers(address) && (best == null || i.prefix > best.prefix)) {
                best = i;
            }
        }
        return best;
    }

    int routePrefix(Inet4Address address) {
        Interface i = route(bits(address));
        return i == null ? -1 : i.prefix;
    }

    TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException {
        Interface i = route(bits(address));
        if (i == null) {
            throw new NoRouteToHostException("no TUN interface covers " + address.getHostAddress());
        }
        Socket s = SocketChannel.open(StandardProtocolFamily.INET).socket(); // IPv4 only, like the tunnel
        try {
            s.bind(new InetSocketAddress(i.address, 0)); // from the tunnel address, never the wildcard
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return track(s);
        } catch (SocketTimeoutException e) {
            s.close();
            throw new SocketTimeoutException("no answer from " + address.getHostAddress() + ":" + port + " within "
                    + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            s.close();
            throw new ConnectException(address.getHostAddress() + ":" + port + " refused the connection: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private TunTcpConnection track(Socket s) throws IOException {
        TunTcpConnection[] self = new TunTcpConnection[1];
        TunTcpConnection c = new TunTcpConnection(s, () -> connections.remove(self[0]));
        self[0] = c;
        connections.add(c);
        return c;
    }

    TcpStatus status() {
        Set<Integer> addresses = new HashSet<>();
        List<Integer> listening;
        synchronized (this) {
            for (Interface i : interfaces) {
                addresses.add(i.bits);
            }
            listening = new ArrayList<>(ports.keySet());
        }
        listening.sort(null);
        return new TcpStatus(ProcNetTcp.states(addresses), listening, Map.of(), 0);
    }

    private synchronized Selector selector() throws IOException {
        if (selector == null) {
            selector = Selector.open();
            acceptor = new Thread(this::acceptLoop, ACCEPT_THREAD);
            acceptor.setDaemon(true);
            acceptor.start();
        }
        return selector;
    }

    private void acceptLoop() {
        Selector sel;
        synchronized (this) {
            sel = selector;
        }
        try {
            while (sel.isOpen()) {
                sel.select();
                for (SelectionKey k : sel.selectedKeys()) {
                    if (k.isValid() && k.isAcceptable()) {
                        accept((ServerSocketChannel) k.channel(), (Port) k.attachment());
                    }
                }
                sel.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.error("accepting TCP connections on TUN interfaces failed; listeners get no more connections", e);
            }
        }
    }

    private void accept(ServerSocketChannel server, Port port) {
        SocketChannel ch;
        try {
            ch = server.accept();
        } catch (IOException e) {
            LOG.debug("accept on {} failed: {}", server, e.getMessage());
            return;
        }
        if (ch == null) {
            return;
        }
        try {
            ch.configureBlocking(true);
            TunTcpConnection c = track(ch.socket());
            if (!port.queue.offer(c)) {
                c.abort(); // the accept queue is full: refuse, as the API promises
            }
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // gone already
            }
        }
    }

    @Override
    public void close() {
        Selector sel;
        Thread t;
        List<Port> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(ports.values());
            ports.clear();
            sel = selector;
            t = acceptor;
        }
        for (Port p : all) {
            p.unbindAll();
        }
        for (TunTcpConnection c : List.copyOf(connections)) {
            c.abort();
        }
        if (sel != null) {
            try {
                sel.close();
            } catch (IOException e) {
                LOG.debug("closing the accept selector failed", e);
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One listening port: a server socket per TUN interface, all feeding one queue. */
    private final class Port implements AutoCloseable {
        final int port;
        final AcceptQueue queue;
        private final Map<Inet4Address, ServerSocketChannel> channels = new HashMap<>();

        Port(int port, AcceptQueue queue) {
            this.port = port;
            this.queue = queue;
        }

        /** Called under the outer lock. */
        void bind(Interface i) throws IOException {
            if (channels.containsKey(i.address)) {
                return;
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
            try {
                ch.bind(new InetSocketAddress(i.address, port), queue.backlog());
                ch.configureBlocking(false);
                Selector sel = selector();
                ch.register(sel, SelectionKey.OP_ACCEPT, this);
                sel.wakeup();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw new IOException("cannot listen on " + i.address.getHostAddress() + ":" + port + " (" + i.name + "): "
                        + e.getMessage(), e);
            }
            channels.put(i.address, ch);
        }

        void unbind(Inet4Address address) {
            ServerSocketChannel ch = channels.remove(address);
            if (ch != null) {
                closeQuietly(ch);
            }
        }

        void unbindAll() {
            for (ServerSocketChannel ch : channels.values()) {
                closeQuietly(ch);
            }
            channels.clear();
        }

        private void closeQuietly(ServerSocketChannel ch) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", ch, e);
            }
            Selector sel = selector;
            if (sel != null) {
                sel.wakeup(); // the selector releases the port at its next selection
            }
        }

        @Override
        public void close() {
            unlisten(this);
        }
    }
}
