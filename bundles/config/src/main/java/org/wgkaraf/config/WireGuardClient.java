package org.wgkaraf.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.wgkaraf.api.engine.WireGuardEngine;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.api.wireguard.WireGuardControl;
import org.wgkaraf.api.wireguard.WireGuardSettings;
import org.wgkaraf.api.wireguard.WireGuardStatus;

/**
 * The original's WireguardClient as one component of PID {@code network.wireguard}: the
 * {@link WireGuardControl} and {@link WireGuardSettings} services, and the tunnel's MBean. It
 * only wires the pieces, each owned once:
 * <ul>
 * <li>{@link SecretStore}: the one store of keys (the settings service and the client share it);</li>
 * <li>{@link ConfigStore}: the one writer of the configuration, which keeps
 * {@code etc/network.wireguard.cfg} holding it;</li>
 * <li>{@link ConfigIntake}: properties in, a verdict out;</li>
 * <li>{@link Lifecycle}: when the tunnel runs, and the thread everything happens on;</li>
 * <li>{@link Settings}: {@code config set|get|list|unset};</li>
 * <li>{@link TunnelMonitor}: JMX.</li>
 * </ul>
 */
@Component(service = {WireGuardControl.class, WireGuardSettings.class}, configurationPid = WireGuardSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = WireGuardMetatype.class)
public final class WireGuardClient implements WireGuardControl, WireGuardSettings {
    private final NetifRegistry registry;
    private final Lifecycle lifecycle;
    private final Settings settings;
    private final ServiceRegistration<?> mbean;

    @Activate
    public WireGuardClient(@Reference WireGuardEngine engine, @Reference NetifRegistry registry,
                           @Reference ConfigurationAdmin configAdmin, BundleContext context, Map<String, Object> properties) {
        this(engine, registry, new ConfigStore(configAdmin, ConfigStore.defaultCfgFile()),
                new SecretStore(SecretStore.defaultLocation()), Lifecycle.defaultStoppedFlag(), context, properties);
    }

    WireGuardClient(WireGuardEngine engine, NetifRegistry registry, ConfigStore store, SecretStore secrets,
                    Path stoppedFlag, BundleContext context, Map<String, Object> properties) {
        this.registry = registry;
        ConfigIntake intake = new ConfigIntake(secrets, engine::publicKey);
        this.lifecycle = new Lifecycle(engine, registry, intake, store, stoppedFlag, properties);
        this.settings = new Settings(store, secrets, engine::publicKey, lifecycle::judgement);
        // Not a whiteboard NetworkListener service: the registry binds those, and this component
        // needs the registry, which SCR would see as a circular reference.
        registry.addListener(lifecycle);
        this.mbean = context == null ? null : context.registerService(WireGuardTunnelMXBean.class,
                new TunnelMonitor(lifecycle::snapshot, lifecycle::stateSnapshot, Instant::now),
                new Hashtable<>(Map.of("jmx.objectname", TunnelMonitor.OBJECT_NAME)));
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        lifecycle.configured(properties);
    }

    @Deactivate
    public void deactivate() {
        if (mbean != null) {
            try {
                mbean.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework took it already
            }
        }
        registry.removeListener(lifecycle);
        lifecycle.close();
    }

    // ------------------------------------------------------------------ WireGuardControl

    @Override
    public WireGuardStatus status() {
        return lifecycle.status();
    }

    @Override
    public void start() {
        lifecycle.start();
    }

    @Override
    public void stop() {
        lifecycle.stop();
    }

    @Override
    public void restart() {
        lifecycle.restart();
    }

    // ------------------------------------------------------------------ WireGuardSettings

    @Override
    public List<Setting> list() {
        return settings.list();
    }

    @Override
    public Setting get(Instance instance) {
        return settings.get(instance);
    }

    @Override
    public void set(Instance instance, String value) {
        settings.set(instance, value);
    }

    @Override
    public void unset(Instance instance) {
        settings.unset(instance);
    }

    /** The network events, for tests that drive the client without a registry's polling. */
    Lifecycle lifecycle() {
        return lifecycle;
    }
}
