package org.wgkaraf.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.api.engine.WireGuardEngine;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Uplink;
import org.wgkaraf.api.netif.VirtualNetif;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.WireGuardControl;
import org.wgkaraf.api.wireguard.WireGuardSettings;
import org.wgkaraf.api.wireguard.WireGuardStatus;

/**
 * The original's WireguardClient: runs the tunnel that {@code network.wireguard} describes, as an
 * interface {@code wg<n>} of the netif registry.
 *
 * <ul>
 * <li>Starts when the network is ready, stops when it goes away; an uplink change keeps the
 * session and only rebinds the socket (WireGuard roams by design).</li>
 * <li>A valid configuration change is applied with as little loss as it allows
 * ({@link WireGuardConfig.Change}); an invalid one is refused and the tunnel keeps running on
 * the last valid one; {@link #status()} says what was refused and why.</li>
 * <li>A start that fails is retried with backoff (1 s doubling to 60 s); nothing half-built is
 * left between tries.</li>
 * <li>{@code wireguard stop} holds across network events and restarts until {@code wireguard start}.</li>
 * <li>Every 10 s while started, DEBUG {@code Peer is up} or {@code Peer is down} on logger
 * {@code wireguard}.</li>
 * </ul>
 * Every state change runs on one thread, so network events, configuration updates and commands
 * never interleave.
 */
@Component(service = WireGuardControl.class, configurationPid = WireGuardSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = WireGuardMetatype.class)
public final class WireGuardClient implements WireGuardControl, NetworkListener {
    static final Logger PEER_LOG = LoggerFactory.getLogger("wireguard");
    private static final Logger LOG = LoggerFactory.getLogger(WireGuardClient.class);
    private static final long MAX_BACKOFF_SECONDS = 60;

    private final WireGuardEngine engine;
    private final NetifRegistry registry;
    private final ConfigurationAdmin configAdmin;
    private final SecretStore secrets;
    private final Path stoppedFlag;
    private final ScheduledExecutorService executor;

    // State below: only on the executor thread.
    private WireGuardConfig config;
    private String refused;
    private boolean networkReady;
    private boolean userStopped;
    private Tunnel tunnel;
    private VirtualNetif netif;
    private String lastError;
    private long backoffSeconds = 1;
    private ScheduledFuture<?> retry;
    private boolean active = true;
    private volatile WireGuardStatus snapshot;

    @Activate
    public WireGuardClient(@Reference WireGuardEngine engine, @Reference NetifRegistry registry,
                           @Reference ConfigurationAdmin configAdmin, Map<String, Object> properties) {
        this(engine, registry, configAdmin, new SecretStore(SecretStore.defaultLocation()), defaultStoppedFlag(), properties);
    }

    public WireGuardClient(WireGuardEngine engine, NetifRegistry registry, ConfigurationAdmin configAdmin,
                           SecretStore secrets, Path stoppedFlag, Map<String, Object> properties) {
        this.engine = engine;
        this.registry = registry;
        this.configAdmin = configAdmin;
        this.secrets = secrets;
        this.stoppedFlag = stoppedFlag;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wireguard-client");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        this.executor = ex;
        run(() -> {
            userStopped = Files.exists(stoppedFlag);
            applyConfiguration(properties);
        });
        executor.scheduleAtFixedRate(this::tickLink, 1, 1, TimeUnit.SECONDS);
        executor.scheduleAtFixedRate(this::logPeer, 10, 10, TimeUnit.SECONDS);
        // Not a whiteboard NetworkListener service: the registry binds those, and this component
        // needs the registry, which SCR would see as a circular reference.
        registry.addListener(this);
    }

    static Path defaultStoppedFlag() {
        String data = System.getProperty("karaf.data");
        return data != null ? Path.of(data, "wgkaraf", "stopped-by-user")
                : Path.of(System.getProperty("user.home"), ".wgkaraf", "stopped-by-user");
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        run(() -> applyConfiguration(properties));
    }

    @Deactivate
    public void deactivate() {
        registry.removeListener(this);
        call(() -> {
            active = false;
            teardown();
            return null;
        });
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ control

    @Override
    public WireGuardStatus status() {
        WireGuardStatus s = call(this::buildStatus);
        return s != null ? s : snapshot;
    }

    @Override
    public void start() {
        call(() -> {
            setUserStopped(false);
            up();
            return null;
        });
    }

    @Override
    public void stop() {
        call(() -> {
            setUserStopped(true);
            teardown();
            return null;
        });
    }

    @Override
    public void restart() {
        call(() -> {
            setUserStopped(false);
            teardown();
            up();
            return null;
        });
    }

    // ------------------------------------------------------------------ network events

    @Override
    public void networkReady(Uplink uplink) {
        run(() -> {
            networkReady = true;
            up();
        });
    }

    @Override
    public void networkGone() {
        run(() -> {
            networkReady = false;
            teardown();
            lastError = "waiting for the network";
        });
    }

    @Override
    public void uplinkChanged(Uplink previous, Uplink current) {
        run(() -> {
            networkReady = true;
            if (tunnel == null) {
                up();
                return;
            }
            try {
                tunnel.rebind(); // keep the session: the peer follows our next authenticated packet
                LOG.info("uplink changed to {} ({}): tunnel rebound", current.name(), current.address().getHostAddress());
            } catch (IOException | RuntimeException e) {
                fail("cannot rebind after the uplink change: " + e.getMessage());
            }
        });
    }

    // ------------------------------------------------------------------ configuration

    private void applyConfiguration(Map<String, Object> properties) {
        Map<String, String> raw = new HashMap<>();
        Map<String, String> scrub = new HashMap<>();
        String secretProblem = resolveSecrets(properties, raw, scrub);
        if (!scrub.isEmpty()) {
            executor.execute(() -> hideInConfigAdmin(scrub));
        }
        Validation.Result result = Validation.validate(raw, engine::publicKey);
        if (secretProblem != null) {
            refuse(secretProblem + (result instanceof Validation.Invalid inv ? "; " + inv.summary() : ""));
            return;
        }
        if (result instanceof Validation.Invalid invalid) {
            // Nothing configured yet is not a refusal, just nothing to run.
            boolean empty = properties == null
                    || java.util.Arrays.stream(Instance.values()).noneMatch(i -> properties.containsKey(i.key()));
            if (empty) {
                refused = null;
                lastError = "not configured: set network.wireguard";
            } else if (tunnel == null && invalid.onlyMissing()) {
                // Being typed in, one instance at a time: not a refusal.
                refused = null;
                lastError = "not configured yet: " + String.join(", ", invalid.problems().keySet()) + " missing";
                LOG.info("network.wireguard: {}", lastError);
            } else {
                refuse(invalid.summary());
            }
            return;
        }
        WireGuardConfig next = ((Validation.Valid) result).config();
        refused = null;
        WireGuardConfig.Change change = next.changeFrom(config);
        config = next;
        if (tunnel == null) {
            up();
            return;
        }
        switch (change) {
            case NONE -> { }
            case RECONFIGURE -> {
                try {
                    tunnel.reconfigure(next.toTunnelConfig(tunnel.name()));
                    LOG.info("WireGuard configuration applied to the running tunnel {}", tunnel.name());
                } catch (IOException | RuntimeException e) {
                    lastError = "cannot apply the new configuration: " + e.getMessage();
                    LOG.warn("tunnel {}: {}", tunnel.name(), lastError);
                }
            }
            case NEW_TUNNEL -> {
                teardown();
                up();
            }
        }
    }

    private void refuse(String why) {
        refused = why;
        LOG.warn("network.wireguard refused: {}; {}", why,
                tunnel != null ? "the tunnel keeps its previous configuration" : "the tunnel is not started");
    }

    /**
     * Fills {@code raw} with the values to validate, secrets resolved from the store. A clear
     * secret found in ConfigAdmin (config:property-set, an edited .cfg file) is moved to the
     * store and noted in {@code scrub}, so that ConfigAdmin soon holds (hidden) instead.
     */
    private String resolveSecrets(Map<String, Object> properties, Map<String, String> raw, Map<String, String> scrub) {
        StringBuilder problems = new StringBuilder();
        if (properties == null) {
            return null;
        }
        properties.forEach((k, v) -> raw.put(k, v == null ? "" : v.toString().strip()));
        for (Instance i : Instance.values()) {
            if (!i.secret()) {
                continue;
            }
            String v = raw.get(i.key());
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (SecretStore.HIDDEN.equals(v)) {
                String stored = secrets.get(i).orElse(null);
                if (stored == null) {
                    problems.append(problems.length() == 0 ? "" : "; ").append(i.key())
                            .append(": is (hidden) but no key is stored; set it again");
                    raw.remove(i.key());
                } else {
                    raw.put(i.key(), stored);
                }
            } else if (Validation.checkValue(i, v) == null) {
                try {
                    secrets.putKey(i, v);
                    scrub.put(i.key(), SecretStore.HIDDEN);
                } catch (IOException e) {
                    LOG.warn("cannot store {} in the secret store: {}", i.key(), e.toString());
                }
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    private void hideInConfigAdmin(Map<String, String> scrub) {
        try {
            Configuration c = configAdmin.getConfiguration(WireGuardSettings.PID, "?");
            if (c.getProperties() == null) {
                return;
            }
            Dictionary<String, Object> copy = Dictionaries.copy(c.getProperties());
            scrub.forEach(copy::put);
            c.update(copy);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot hide the keys of network.wireguard in ConfigAdmin: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void up() {
        if (!active || tunnel != null || config == null || userStopped) {
            return;
        }
        if (!networkReady) {
            lastError = "waiting for the network";
            return;
        }
        cancelRetry();
        WireGuardConfig c = config;
        try {
            netif = registry.register("wg", c.localAddress(), c.localNetmask(), c.backend(), this::toTunnel);
            tunnel = engine.open(c.toTunnelConfig(netif.info().name()), this::fromTunnel);
            lastError = null;
            backoffSeconds = 1;
            LOG.info("WireGuard tunnel {} started ({}), peer {}:{}", netif.info().name(),
                    c.subnet(), c.peerEndpoint(), c.peerPort());
        } catch (IOException | RuntimeException e) {
            fail("cannot start: " + e.getMessage());
        }
    }

    private void fail(String why) {
        lastError = why;
        teardown();
        long delay = backoffSeconds;
        backoffSeconds = Math.min(MAX_BACKOFF_SECONDS, backoffSeconds * 2);
        LOG.warn("WireGuard {}; retrying in {} s", why, delay);
        retry = executor.schedule(() -> {
            retry = null;
            up();
        }, delay, TimeUnit.SECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void teardown() {
        cancelRetry();
        Tunnel t = tunnel;
        VirtualNetif n = netif;
        tunnel = null;
        netif = null;
        if (t != null) {
            t.close();
        }
        if (n != null) {
            n.close();
        }
    }

    private void toTunnel(byte[] packet, int off, int len) {
        Tunnel t = tunnel;
        if (t != null) {
            t.send(packet, off, len);
        }
    }

    private void fromTunnel(byte[] packet, int off, int len) {
        VirtualNetif n = netif;
        if (n != null) {
            n.receive(packet, off, len);
        }
    }

    private void setUserStopped(boolean stopped) {
        userStopped = stopped;
        try {
            if (stopped) {
                Files.createDirectories(stoppedFlag.getParent());
                Files.writeString(stoppedFlag, "stopped by 'wireguard stop'\n");
            } else {
                Files.deleteIfExists(stoppedFlag);
            }
        } catch (IOException e) {
            LOG.warn("cannot record 'wireguard {}' in {}: {}", stopped ? "stop" : "start", stoppedFlag, e.toString());
        }
    }

    // ------------------------------------------------------------------ timers

    /** Link up exactly while the peer is up. */
    private void tickLink() {
        try {
            if (tunnel != null && netif != null) {
                netif.setLinkUp(peerUp(tunnel.status()));
            }
            snapshot = buildStatus();
        } catch (RuntimeException e) {
            LOG.warn("link check failed", e);
        }
    }

    private void logPeer() {
        if (tunnel != null) {
            PEER_LOG.debug(peerUp(tunnel.status()) ? "Peer is up" : "Peer is down");
        }
    }

    private static boolean peerUp(TunnelStatus s) {
        return s.peers().stream().anyMatch(PeerStatus::up);
    }

    private WireGuardStatus buildStatus() {
        TunnelStatus ts = tunnel == null ? null : tunnel.status();
        String error = lastError;
        if (error == null && ts != null) {
            error = ts.lastError() != null ? ts.lastError()
                    : ts.peers().stream().map(PeerStatus::lastError).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        return new WireGuardStatus(ts != null, ts != null && peerUp(ts), netif == null ? null : netif.info().name(), ts,
                userStopped, error, refused);
    }

    // ------------------------------------------------------------------ plumbing

    private void run(Runnable action) {
        try {
            executor.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("WireGuard client action failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("WireGuard client is stopping; event ignored");
        }
    }

    /** Runs on the executor and waits (commands want their effect done before they return). */
    private <T> T call(Callable<T> action) {
        try {
            Future<T> f = executor.submit(action);
            return f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the WireGuard client is busy; try again", e);
        }
    }
}
