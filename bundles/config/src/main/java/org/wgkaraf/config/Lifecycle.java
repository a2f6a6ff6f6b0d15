package org.wgkaraf.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
import org.wgkaraf.api.wireguard.WireGuardStatus;

/**
 * The original's WireguardClient lifecycle: when the tunnel runs, and what each event does to it.
 * <p>
 * The rule, in one place ({@link #shouldRun}): the tunnel runs while the component is active, a
 * valid configuration exists, {@code wireguard stop} does not hold, and the network is ready.
 * After every event the client {@linkplain #settle settles}: it opens the tunnel when it should
 * run and does not (unless a retry is already scheduled), and closes it when it should not run.
 * The events that do more than that:
 * <ul>
 * <li>an uplink change keeps the session and only rebinds the socket (WireGuard roams by design;
 * the original rebuilt the tunnel);</li>
 * <li>a valid configuration change is applied with as little loss as it allows
 * ({@link WireGuardConfig.Change}); an invalid one is refused and the tunnel keeps the last
 * valid one;</li>
 * <li>{@code wireguard restart} closes and opens; a failed open is retried with {@link Backoff},
 * and nothing half-built is left between tries;</li>
 * <li>{@code wireguard stop} is recorded on disk and holds across network events and container
 * restarts until {@code wireguard start}.</li>
 * </ul>
 * Threads: every event runs on one thread, {@code wireguard-client}, so network events,
 * configuration updates, commands and timers never interleave; the fields below the constructor
 * are confined to it. Other threads read only {@link #snapshot} and {@link #judgement}, which are
 * immutable and published through volatile fields. Calls that want the effect done before they
 * return ({@code wireguard start}) wait on the thread, at most 30 s.
 * <p>
 * (About 450 lines, kept in one file on purpose: the rule, every event and the tunnel they act on
 * read together. The thread ({@link ClientThread}), the verdict on a configuration
 * ({@link ConfigIntake}) and what the settings show ({@link Judgement}) are apart.)
 */
final class Lifecycle implements NetworkListener {
    static final org.slf4j.Logger PEER_LOG = LoggerFactory.getLogger("wireguard");
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final WireGuardEngine engine;
    private final NetifRegistry registry;
    private final ConfigIntake intake;
    private final ConfigStore store;
    private final Path stoppedFlag;
    private final ClientThread thread = new ClientThread("wireguard-client");
    private final Backoff backoff = new Backoff();
    private volatile WireGuardStatus snapshot;
    private volatile Judgement judgement = Judgement.NONE;
    private volatile ClientState stateSnapshot = ClientState.UNCONFIGURED;

    // Confined to the executor thread.
    private boolean active = true;
    private WireGuardConfig config;
    private Map<String, String> acceptedValues = Map.of();
    /** The instances the accepted configuration set, as ConfigAdmin should hold them (secrets (hidden)). */
    private Map<String, String> acceptedGiven = Map.of();
    private String refused;
    private String notConfigured = "not configured: set network.wireguard";
    private boolean networkReady;
    private boolean userStopped;
    private Running running;
    private ScheduledFuture<?> retry;
    private String startError;

    /** A tunnel with its interface and the bridge between them: built together, taken down together. */
    private record Running(Tunnel tunnel, VirtualNetif netif, PacketBridge bridge) {
    }

    Lifecycle(WireGuardEngine engine, NetifRegistry registry, ConfigIntake intake, ConfigStore store,
              Path stoppedFlag, Map<String, Object> properties) {
        this.engine = engine;
        this.registry = registry;
        this.intake = intake;
        this.store = store;
        this.stoppedFlag = stoppedFlag;
        run(() -> {
            userStopped = Files.exists(stoppedFlag);
            configure(properties);
        });
        thread.every(this::tickLink, 1, TimeUnit.SECONDS);
        thread.every(this::logPeer, 10, TimeUnit.SECONDS);
    }

    static Path defaultStoppedFlag() {
        String data = System.getProperty("karaf.data");
        return data != null ? Path.of(data, "wgkaraf", "stopped-by-user")
                : Path.of(System.getProperty("user.home"), ".wgkaraf", "stopped-by-user");
    }

    // ------------------------------------------------------------------ events (any thread)

    void configured(Map<String, Object> properties) {
        run(() -> configure(properties));
    }

    @Override
    public void networkReady(Uplink uplink) {
        run(() -> {
            networkReady = true;
            settle();
        });
    }

    @Override
    public void networkGone() {
        run(() -> {
            networkReady = false;
            settle();
        });
    }

    @Override
    public void uplinkChanged(Uplink previous, Uplink current) {
        run(() -> {
            networkReady = true;
            if (running == null) {
                settle();
                return;
            }
            try {
                running.tunnel().rebind(); // keep the session: the peer follows our next authenticated packet
                LOG.info("uplink changed to {} ({}): tunnel rebound", current.name(), current.address().getHostAddress());
            } catch (IOException | RuntimeException e) {
                closeTunnel();
                scheduleRetry("cannot rebind after the uplink change: " + e.getMessage());
            }
        });
    }

    void start() {
        call(() -> {
            setUserStopped(false);
            settle();
            return null;
        });
    }

    void stop() {
        call(() -> {
            setUserStopped(true);
            settle();
            return null;
        });
    }

    void restart() {
        call(() -> {
            setUserStopped(false);
            closeTunnel();
            settle();
            return null;
        });
    }

    WireGuardStatus status() {
        WireGuardStatus s = call(this::buildStatus);
        return s != null ? s : snapshot;
    }

    /** The latest status without waiting on the client's thread (for JMX). */
    WireGuardStatus snapshot() {
        WireGuardStatus s = snapshot;
        return s != null ? s : new WireGuardStatus(false, false, null, null, false, null, null);
    }

    /** The latest state without waiting on the client's thread (for JMX). */
    ClientState stateSnapshot() {
        return stateSnapshot;
    }

    Judgement judgement() {
        return judgement;
    }

    /** Closes the tunnel and stops the thread; waits for both. */
    void close() {
        call(() -> {
            active = false;
            settle();
            return null;
        });
        thread.stop();
    }

    // ------------------------------------------------------------------ the rule

    /** The original's rule: configured, not stopped by the user, network ready (and not closed). */
    private boolean shouldRun() {
        return active && config != null && !userStopped && networkReady;
    }

    private ClientState state() {
        if (!active) {
            return ClientState.CLOSED;
        }
        if (config == null) {
            return ClientState.UNCONFIGURED;
        }
        if (userStopped) {
            return ClientState.STOPPED_BY_USER;
        }
        if (!networkReady) {
            return ClientState.WAITING_FOR_NETWORK;
        }
        return running != null ? ClientState.RUNNING : ClientState.RETRYING;
    }

    /** Brings the tunnel in line with {@link #shouldRun}. */
    private void settle() {
        if (shouldRun()) {
            if (running == null && retry == null) {
                open();
            }
        } else {
            cancelRetry();
            closeTunnel();
        }
        stateSnapshot = state();
    }

    // ------------------------------------------------------------------ configuration

    private void configure(Map<String, Object> properties) {
        ConfigIntake.Verdict v = intake.check(properties);
        if (!v.clearKeys().isEmpty()) {
            // Runs after this event; the update it makes comes back here with (hidden).
            thread.run(() -> hideKeys(v.clearKeys()));
        }
        if (v.result() instanceof Validation.Valid valid) {
            WireGuardConfig next = valid.config();
            WireGuardConfig.Change change = next.changeFrom(config);
            config = next;
            acceptedValues = Judgement.shown(properties);
            acceptedGiven = Judgement.given(properties);
            refused = null;
            judgement = Judgement.NONE;
            if (running != null) {
                apply(change, next);
            }
            settle();
            return;
        }
        Validation.Invalid invalid = (Validation.Invalid) v.result();
        if (v.empty() && config != null) {
            // Every value removed at once: refused like any incomplete configuration, the running
            // tunnel keeps its own ('wireguard stop' stops it; deleting the configuration
            // restarts this component unconfigured). A partial file read by Karaf's file installer
            // looks exactly like this (docs/karaf.md), and must not cut the owner off.
            refused = "every value of network.wireguard was removed";
            judgement = new Judgement(Map.of(), acceptedValues);
            LOG.warn("network.wireguard refused: {}; {}; the accepted values are written back", refused,
                    running != null ? "the tunnel keeps its previous configuration" : "the tunnel is not started");
            // And healed: the file installer would otherwise write the emptied configuration to
            // etc/network.wireguard.cfg, and the owner's settings would be gone at the next start.
            // On purpose, a configuration is removed with config:delete, never by emptying it.
            Map<String, String> restore = acceptedGiven;
            thread.run(() -> restore(restore));
        } else if (v.empty()) {
            // Never configured: nothing to run.
            refused = null;
            notConfigured = "not configured: set network.wireguard";
            judgement = Judgement.NONE;
        } else if (config == null && invalid.onlyMissing()) {
            // Being typed in, one instance at a time: not a refusal.
            refused = null;
            notConfigured = "not configured yet: " + String.join(", ", invalid.problems().keySet()) + " missing";
            judgement = Judgement.NONE;
            LOG.info("network.wireguard: {}", notConfigured);
        } else {
            refused = invalid.summary();
            judgement = new Judgement(Judgement.givenValueProblems(invalid, properties), config == null ? Map.of() : acceptedValues);
            if (config == null) {
                notConfigured = "not configured: the configuration was refused";
            }
            LOG.warn("network.wireguard refused: {}; {}", refused,
                    running != null ? "the tunnel keeps its previous configuration" : "the tunnel is not started");
        }
        settle();
    }

    private void apply(WireGuardConfig.Change change, WireGuardConfig next) {
        switch (change) {
            case NONE -> { }
            case RECONFIGURE -> {
                try {
                    running.tunnel().reconfigure(next.toTunnelConfig(running.tunnel().name()));
                    LOG.info("WireGuard configuration applied to the running tunnel {}", running.tunnel().name());
                } catch (IOException | RuntimeException e) {
                    startError = "cannot apply the new configuration: " + e.getMessage();
                    LOG.warn("tunnel {}: {}", running.tunnel().name(), startError);
                }
            }
            case NEW_TUNNEL -> closeTunnel();
        }
    }

    private void restore(Map<String, String> values) {
        try {
            if (store.restoreIfEmptied(values)) {
                LOG.info("network.wireguard: the accepted values were written back to ConfigAdmin and its file");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the accepted values of network.wireguard back: {}", e.toString());
        }
    }

    private void hideKeys(Map<String, String> clearKeys) {
        try {
            store.hideIfUnchanged(clearKeys, SecretStore.HIDDEN);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot hide the keys of network.wireguard in ConfigAdmin: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ the tunnel

    private void open() {
        WireGuardConfig c = config;
        PacketBridge bridge = new PacketBridge();
        VirtualNetif netif = null;
        Tunnel tunnel = null;
        try {
            netif = registry.register("wg", c.localAddress(), c.localNetmask(), c.backend(), bridge.netifSink());
            tunnel = engine.open(c.toTunnelConfig(netif.info().name()), bridge.tunnelSink());
            bridge.connect(tunnel, netif);
            running = new Running(tunnel, netif, bridge);
            startError = null;
            backoff.reset();
            LOG.info("WireGuard tunnel {} started ({}), peer {}:{}", netif.info().name(),
                    c.subnet(), c.peerEndpoint(), c.peerPort());
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            if (netif != null) {
                netif.close();
            }
            scheduleRetry("cannot start: " + e.getMessage());
        }
    }

    private void scheduleRetry(String why) {
        startError = why;
        long delay = backoff.nextDelaySeconds();
        LOG.warn("WireGuard {}; retrying in {} s", why, delay);
        retry = thread.schedule(() -> {
            retry = null;
            settle();
        }, delay, TimeUnit.SECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void closeTunnel() {
        Running r = running;
        running = null;
        if (r != null) {
            r.bridge().disconnect();
            r.tunnel().close();
            r.netif().close();
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

    // ------------------------------------------------------------------ timers and status

    /** Link up exactly while the peer is up; refreshes the snapshot JMX reads. */
    private void tickLink() {
        try {
            if (running != null) {
                running.netif().setLinkUp(peerUp(running.tunnel().status()));
            }
            snapshot = buildStatus();
            stateSnapshot = state();
        } catch (RuntimeException e) {
            LOG.warn("link check failed", e);
        }
    }

    private void logPeer() {
        if (running != null) {
            PEER_LOG.debug(peerUp(running.tunnel().status()) ? "Peer is up" : "Peer is down");
        }
    }

    private static boolean peerUp(TunnelStatus s) {
        return s.peers().stream().anyMatch(PeerStatus::up);
    }

    private WireGuardStatus buildStatus() {
        TunnelStatus ts = running == null ? null : running.tunnel().status();
        return new WireGuardStatus(ts != null, ts != null && peerUp(ts),
                running == null ? null : running.netif().info().name(), ts, userStopped, lastError(ts), refused);
    }

    /** Why the tunnel is not up, or the engine's latest complaint while it runs. */
    private String lastError(TunnelStatus ts) {
        return switch (state()) {
            case CLOSED -> "closed";
            case UNCONFIGURED -> notConfigured;
            case STOPPED_BY_USER -> null;
            case WAITING_FOR_NETWORK -> "waiting for the network";
            case RETRYING -> startError;
            case RUNNING -> startError != null ? startError
                    : ts.lastError() != null ? ts.lastError()
                    : ts.peers().stream().map(PeerStatus::lastError).filter(Objects::nonNull).findFirst().orElse(null);
        };
    }

    private void run(Runnable action) {
        thread.run(action);
    }

    private <T> T call(Callable<T> action) {
        return thread.call(action);
    }
}
