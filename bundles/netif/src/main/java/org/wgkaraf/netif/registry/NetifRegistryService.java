package org.wgkaraf.netif.registry;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Route;
import org.wgkaraf.api.netif.Uplink;
import org.wgkaraf.api.netif.VirtualNetif;
import org.wgkaraf.netif.registry.HostSnapshot.HostInterface;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * The netif registry. Polls the host (every 2 s by default, and on {@link #refresh()}), numbers
 * every interface on first sight as the original does (1, 2, 3, ... never reused while the registry
 * lives; host interfaces seen together in OS-index order), keeps the virtual interfaces that other
 * bundles register, routes by longest prefix and turns uplink changes into network events.
 *
 * <p>Two threads: the poller and the event thread; {@link #close()} (deactivation) stops both and
 * closes the virtual interfaces still registered. Outside OSGi: {@code new NetifRegistryService(
 * new LinuxHostProbe(), Duration.ofSeconds(2), Map.of(Backend.USERSPACE, ...))}. Under Declarative
 * Services the backends arrive as {@link VirtualBackend} services with the property
 * {@value #BACKEND_PROPERTY} naming the {@link NetifRegistry.Backend} they carry, and the network
 * listeners as {@link NetworkListener} services (whiteboard).
 */
@Component(service = NetifRegistry.class, immediate = true)
public final class NetifRegistryService implements NetifRegistry, AutoCloseable {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** Service property of a {@link VirtualBackend}: {@code USERSPACE} or {@code TUN}. */
    public static final String BACKEND_PROPERTY = "netif.backend";

    private static final Logger LOG = LoggerFactory.getLogger(NetifRegistryService.class);
    private static final Route.Host HOST = new Route.Host();
    private static final RegisteredNetif[] NONE = new RegisteredNetif[0];

    /** The host as last read, numbered. Replaced whole, read without a lock. */
    private record HostState(List<NetifInfo> interfaces, NetifInfo defaultInterface, List<InetAddress> dnsServers,
                             Uplink uplink) {
        static final HostState EMPTY = new HostState(List.of(), null, List.of(), null);
    }

    /** A host interface's identity: a device deleted and made again under its name is a new interface. */
    private record HostKey(String name, int index) {
    }

    private final HostProbe probe;
    private final Duration pollInterval;
    private final Map<Backend, VirtualBackend> backends = new ConcurrentHashMap<>();
    private final NetworkEvents events = new NetworkEvents("netif-events");
    private final Thread poller;
    /** One poll at a time, so snapshots are applied in the order they were read. */
    private final Object pollLock = new Object();
    /** Guards numbering and every write of the state below. */
    private final Object lock = new Object();
    private final Map<HostKey, Integer> hostNumbers = new HashMap<>();
    private int nextNumber = 1;
    /**
     * The number each virtual name prefix had last. A tunnel rebuilt (reconfigured, restarted,
     * its bundles swapped) registers again and gets its number back when it is free: {@code wg3}
     * stays {@code wg3} instead of counting up.
     */
    private final Map<String, Integer> virtualNumbers = new HashMap<>();
    private volatile HostState host = HostState.EMPTY;
    private volatile RegisteredNetif[] virtuals = NONE;
    private volatile boolean closed;
    private boolean probeFailing;

    /** For Declarative Services: this process's host, polled every 2 s; backends come as services. */
    public NetifRegistryService() {
        this(new LinuxHostProbe(), DEFAULT_POLL_INTERVAL, Map.of());
    }

    /**
     * Reads the host once, then starts polling it and delivering events.
     *
     * @param backends who carries the packets of each kind of virtual interface; may lack some
     */
    public NetifRegistryService(HostProbe probe, Duration pollInterval, Map<Backend, VirtualBackend> backends) {
        this.probe = Objects.requireNonNull(probe, "probe");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, not " + pollInterval);
        }
        this.pollInterval = pollInterval;
        this.backends.putAll(backends);
        poll();
        poller = new Thread(this::pollLoop, "netif-poll");
        poller.setDaemon(true);
        events.start();
        poller.start();
    }

    /** Gives the registry a backend (a DS reference); it carries the kind named by {@value #BACKEND_PROPERTY}. */
    @Reference(name = "backend", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeBackend")
    public void addBackend(VirtualBackend backend, Map<String, Object> properties) {
        Backend kind = backendKind(properties);
        if (kind != null) {
            backends.put(kind, backend);
        }
    }

    /**
     * Takes a backend away. Interfaces already attached to it stay registered: the backend closes
     * its own attachments when it stops; registering on that kind fails until another one comes.
     */
    public void removeBackend(VirtualBackend backend, Map<String, Object> properties) {
        Backend kind = backendKind(properties);
        if (kind != null) {
            backends.remove(kind, backend);
        }
    }

    private static Backend backendKind(Map<String, Object> properties) {
        Object value = properties.get(BACKEND_PROPERTY);
        for (Backend b : Backend.values()) {
            if (b.name().equals(value)) {
                return b;
            }
        }
        LOG.error("a netif backend service has {}={}, expected one of {}: ignored", BACKEND_PROPERTY, value,
                Arrays.toString(Backend.values()));
        return null;
    }

    @Override
    public List<NetifInfo> interfaces() {
        List<NetifInfo> all = new ArrayList<>(host.interfaces());
        for (RegisteredNetif v : virtuals) {
            all.add(v.info());
        }
        all.sort(Comparator.comparingInt(NetifInfo::number).reversed());
        return List.copyOf(all);
    }

    @Override
    public List<InetAddress> dnsServers() {
        return host.dnsServers();
    }

    @Override
    public Optional<NetifInfo> defaultInterface() {
        return Optional.ofNullable(host.defaultInterface());
    }

    @Override
    public Optional<Uplink> uplink() {
        return Optional.ofNullable(host.uplink());
    }

    @Override
    public VirtualNetif register(String namePrefix, Inet4Address address, Inet4Address netmask, Backend backend,
                                 PacketSink toTunnel) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(netmask, "netmask");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(toTunnel, "toTunnel");
        if (namePrefix == null || namePrefix.isBlank()) {
            throw new IllegalArgumentException("an interface name prefix is required, e.g. \"wg\"");
        }
        if (!Ipv4.isContiguous(Ipv4.toInt(netmask))) {
            throw new IllegalArgumentException("netmask " + netmask.getHostAddress()
                    + " is not contiguous: its one bits must all come first, as in 255.255.255.0");
        }
        if (Ipv4.toInt(address) == 0) {
            throw new IllegalArgumentException("0.0.0.0 cannot be an interface's address: give the tunnel's own address");
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the netif registry is closed");
            }
            VirtualBackend carrier = backends.get(backend);
            if (carrier == null) {
                throw new IOException("no " + backend + " backend is available to carry " + namePrefix + nextNumber
                        + ": the netif bundle has not started it");
            }
            // The number is taken only once the backend accepted: a failed registration leaves no gap.
            Integer previous = virtualNumbers.get(namePrefix);
            boolean reuse = previous != null && Arrays.stream(virtuals).noneMatch(v -> v.info().number() == previous);
            int number = reuse ? previous : nextNumber;
            NetifInfo info = new NetifInfo(number, namePrefix + number, NetifInfo.Kind.VIRTUAL, true, false,
                    address, netmask, Ipv4.ANY);
            VirtualBackend.Attachment attachment = Objects.requireNonNull(carrier.attach(info, toTunnel),
                    "the " + backend + " backend returned no attachment");
            if (!reuse) {
                nextNumber++;
            }
            virtualNumbers.put(namePrefix, number);
            RegisteredNetif netif = new RegisteredNetif(info, attachment, this::unregister);
            RegisteredNetif[] now = virtuals;
            RegisteredNetif[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = netif;
            virtuals = next;
            return netif;
        }
    }

    private void unregister(RegisteredNetif netif) {
        synchronized (lock) {
            RegisteredNetif[] now = virtuals;
            virtuals = Arrays.stream(now).filter(v -> v != netif).toArray(RegisteredNetif[]::new);
        }
    }

    @Override
    public Route route(Inet4Address destination) {
        return route(Ipv4.toInt(destination));
    }

    /**
     * {@link #route(Inet4Address)} for an address as an int (most significant byte first), for the
     * packet path: allocates nothing. Among equal prefixes a tunnel that is up wins, then the oldest.
     */
    public Route route(int destination) {
        RegisteredNetif best = null;
        for (RegisteredNetif v : virtuals) {
            if (v.covers(destination) && (best == null || better(v, best))) {
                best = v;
            }
        }
        return best == null ? HOST : best.route();
    }

    private static boolean better(RegisteredNetif a, RegisteredNetif b) {
        if (a.prefixLength() != b.prefixLength()) {
            return a.prefixLength() > b.prefixLength();
        }
        if (a.linkup() != b.linkup()) {
            return a.linkup();
        }
        return a.number() < b.number();
    }

    /**
     * Adds a listener (also a DS reference: the whiteboard). It is told {@code networkReady} at once
     * if there is an uplink, then every later event.
     */
    @Reference(name = "listener", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    @Override
    public void addListener(NetworkListener listener) {
        synchronized (lock) {
            if (!closed) {
                events.add(listener, host.uplink());
            }
        }
    }

    @Override
    public void removeListener(NetworkListener listener) {
        events.remove(listener);
    }

    /** Polls the host now, on the caller's thread; its events are queued before this returns. */
    @Override
    public void refresh() {
        if (!closed) {
            poll();
        }
    }

    private void pollLoop() {
        long millis = Math.max(1, pollInterval.toMillis());
        while (!closed) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    private void poll() {
        synchronized (pollLock) {
            HostSnapshot snapshot;
            try {
                snapshot = probe.read();
            } catch (IOException | RuntimeException e) {
                probeFailed(e);
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (probeFailing) {
                    probeFailing = false;
                    LOG.info("the host's interfaces can be read again");
                }
                HostState next = number(snapshot);
                Uplink before = host.uplink();
                host = next;
                events.uplinkMoved(before, next.uplink());
            }
        }
    }

    /** Logs the first failure of a run of them: the poller would repeat it every interval. */
    private void probeFailed(Exception e) {
        synchronized (lock) {
            if (closed) {
                return; // closing interrupts a read under way
            }
            if (!probeFailing) {
                probeFailing = true;
                LOG.warn("cannot read the host's interfaces; keeping the last ones read until it works again", e);
            } else {
                LOG.debug("cannot read the host's interfaces", e);
            }
        }
    }

    /** Numbers the snapshot's interfaces (new ones in OS-index order) and derives the default interface and uplink. */
    private HostState number(HostSnapshot snapshot) {
        List<HostInterface> seen = new ArrayList<>(snapshot.interfaces());
        seen.sort(Comparator.comparingInt(HostInterface::index));
        Map<HostKey, Integer> present = new HashMap<>();
        String defaultName = snapshot.defaultRoute().map(HostSnapshot.DefaultRoute::interfaceName).orElse(null);
        Inet4Address gateway = snapshot.defaultRoute().map(HostSnapshot.DefaultRoute::gateway).orElse(Ipv4.ANY);
        List<NetifInfo> infos = new ArrayList<>();
        NetifInfo defaultInterface = null;
        for (HostInterface h : seen) {
            HostKey key = new HostKey(h.name(), h.index());
            Integer number = hostNumbers.get(key);
            if (number == null) {
                number = nextNumber++;
            }
            present.put(key, number);
            boolean isDefault = h.name().equals(defaultName);
            NetifInfo info = new NetifInfo(number, h.name(), NetifInfo.Kind.HOST, h.ifup(), h.linkup(), h.address(),
                    h.netmask(), isDefault ? gateway : Ipv4.ANY);
            infos.add(info);
            if (isDefault) {
                defaultInterface = info;
            }
        }
        hostNumbers.clear();
        hostNumbers.putAll(present);
        Uplink uplink = null;
        if (defaultInterface != null && defaultInterface.ifup() && defaultInterface.linkup()
                && Ipv4.toInt(defaultInterface.address()) != 0) {
            uplink = new Uplink(defaultInterface.name(), defaultInterface.address(), gateway);
        }
        return new HostState(List.copyOf(infos), defaultInterface, snapshot.dnsServers(), uplink);
    }

    /** Stops polling and events, and closes the virtual interfaces still registered. */
    @Deactivate
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        poller.interrupt();
        if (Thread.currentThread() != poller) {
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.close();
        for (RegisteredNetif v : virtuals) {
            v.close();
        }
    }
}
