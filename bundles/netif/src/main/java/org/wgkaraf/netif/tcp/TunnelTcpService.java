package org.wgkaraf.netif.tcp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.netif.spi.AcceptQueue;
import org.wgkaraf.netif.spi.TcpBackend;

/**
 * The bundle's one {@link TcpService}: TCP through the tunnel whichever backend carries it. A
 * listener listens on every backend (the userspace layer's TCP, the OS's on TUN interfaces), those
 * there now and those that come later, into one accept queue; a connect goes to the backend whose
 * interface routes the address with the longest prefix. A consumer never learns which backend runs,
 * and a listener made before the tunnel switches backend keeps working after it.
 */
@Component(service = TcpService.class)
public final class TunnelTcpService implements TcpService {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelTcpService.class);

    private final List<TcpBackend> backends = new CopyOnWriteArrayList<>();
    private final List<ServiceListener> listeners = new ArrayList<>();

    /** For Declarative Services: the backends arrive as {@link TcpBackend} services. */
    public TunnelTcpService() {
    }

    /** Outside OSGi: with these backends. */
    public TunnelTcpService(List<? extends TcpBackend> backends) {
        this.backends.addAll(backends);
    }

    @Reference(name = "backend", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeBackend")
    public synchronized void addBackend(TcpBackend backend) {
        backends.add(backend);
        for (ServiceListener l : listeners) {
            try {
                l.attach(backend);
            } catch (IOException e) {
                LOG.warn("TCP port {} cannot be listened on a newly available backend: {}", l.port, e.getMessage());
            }
        }
    }

    public synchronized void removeBackend(TcpBackend backend) {
        backends.remove(backend);
        for (ServiceListener l : listeners) {
            l.detach(backend);
        }
    }

    @Override
    public synchronized TcpListener listen(int port, int backlog) throws IOException {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("TCP port " + port + " is outside 1-65535");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("a backlog of " + backlog + " is below 1");
        }
        for (ServiceListener l : listeners) {
            if (l.port == port) {
                throw new IOException("TCP port " + port + " is listened on already");
            }
        }
        ServiceListener l = new ServiceListener(port, backlog);
        try {
            for (TcpBackend b : backends) {
                l.attach(b);
            }
        } catch (IOException e) {
            l.close();
            throw e;
        }
        listeners.add(l);
        return l;
    }

    private synchronized void forget(ServiceListener l) {
        listeners.remove(l);
    }

    @Override
    public TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("TCP port " + port + " is outside 1-65535");
        }
        TcpBackend best = null;
        int bestPrefix = -1;
        for (TcpBackend b : backends) {
            int p = b.routePrefix(address);
            if (p > bestPrefix) {
                best = b;
                bestPrefix = p;
            }
        }
        if (best == null) {
            throw new NoRouteToHostException("no tunnel interface covers " + address.getHostAddress()
                    + ": is the tunnel configured and its address in that subnet?");
        }
        return best.connect(address, port, timeout);
    }

    @Override
    public TcpStatus status() {
        Map<String, Integer> states = new TreeMap<>();
        TreeSet<Integer> ports = new TreeSet<>();
        Map<String, Long> drops = new TreeMap<>();
        long buffered = 0;
        for (TcpBackend b : backends) {
            TcpStatus s = b.status();
            s.connections().forEach((k, v) -> states.merge(k, v, Integer::sum));
            ports.addAll(s.listening());
            s.drops().forEach((k, v) -> drops.merge(k, v, Long::sum));
            buffered += s.bytesBuffered();
        }
        return new TcpStatus(states, List.copyOf(ports), drops, buffered);
    }

    /** Closes every listener; connections are their owners' (each backend closes its own). */
    @Deactivate
    public void close() {
        List<ServiceListener> all;
        synchronized (this) {
            all = List.copyOf(listeners);
        }
        for (ServiceListener l : all) {
            l.close();
        }
    }

    /** A port listened on through every backend, with one accept queue. */
    private final class ServiceListener implements TcpListener {
        private final int port;
        private final AcceptQueue queue;
        private final Map<TcpBackend, AutoCloseable> registrations = new IdentityHashMap<>();

        ServiceListener(int port, int backlog) {
            this.port = port;
            this.queue = new AcceptQueue(port, backlog);
        }

        synchronized void attach(TcpBackend b) throws IOException {
            if (!queue.isClosed() && !registrations.containsKey(b)) {
                registrations.put(b, b.listen(port, queue));
            }
        }

        void detach(TcpBackend b) {
            AutoCloseable r;
            synchronized (this) {
                r = registrations.remove(b);
            }
            closeQuietly(r);
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public TcpConnection accept(Duration timeout) throws IOException, InterruptedException {
            return queue.take(timeout);
        }

        @Override
        public void close() {
            List<TcpConnection> left = queue.close();
            List<AutoCloseable> regs;
            synchronized (this) {
                regs = List.copyOf(registrations.values());
                registrations.clear();
            }
            for (AutoCloseable r : regs) {
                closeQuietly(r);
            }
            for (TcpConnection c : left) {
                c.abort();
            }
            forget(this);
        }

        private void closeQuietly(AutoCloseable r) {
            if (r == null) {
                return;
            }
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("stopping to listen on TCP port {} failed", port, e);
            }
        }

        @Override
        public String toString() {
            return "TCP listener on port " + port;
        }
    }
}
