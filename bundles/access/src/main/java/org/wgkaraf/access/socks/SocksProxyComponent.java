package org.wgkaraf.access.socks;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.access.PortSetting;
import org.wgkaraf.api.access.SocksProxy;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * The SOCKS5 proxy as a component: setting {@code socks_port} of PID {@code network.wireguard}
 * (default 0 = off), on 127.0.0.1 only; the tunnel's {@link TcpService} to connect through and
 * the {@link NetifRegistry} whose routes say which addresses lie in a tunnel's subnet. Both are
 * dynamic: while either is missing the proxy keeps its port and answers "network unreachable".
 */
@Component(service = SocksProxy.class, configurationPid = WireGuardSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class SocksProxyComponent implements SocksProxy {
    public static final String KEY = "socks_port";
    public static final int DEFAULT_PORT = 0;
    private static final Logger LOG = LoggerFactory.getLogger(SocksProxyComponent.class);

    private final PortSetting setting;
    private final SocksServer server;
    private final Object lock = new Object();
    private TcpService tcp;
    private NetifRegistry registry;

    @Activate
    public SocksProxyComponent(Map<String, Object> properties) {
        this(properties, SocksServer.Settings.DEFAULT, Resolver.SYSTEM);
    }

    SocksProxyComponent(Map<String, Object> properties, SocksServer.Settings settings, Resolver resolver) {
        setting = new PortSetting(KEY, DEFAULT_PORT, "the SOCKS5 proxy", LOG);
        server = new SocksServer(setting.update(properties), settings, resolver);
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        server.setPort(setting.update(properties));
    }

    @Deactivate
    public void deactivate() {
        server.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindTcpService(TcpService service) {
        synchronized (lock) {
            tcp = service;
        }
        apply();
    }

    public void unbindTcpService(TcpService service) {
        synchronized (lock) {
            if (tcp == service) {
                tcp = null;
            }
        }
        apply();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindNetifRegistry(NetifRegistry service) {
        synchronized (lock) {
            registry = service;
        }
        apply();
    }

    public void unbindNetifRegistry(NetifRegistry service) {
        synchronized (lock) {
            if (registry == service) {
                registry = null;
            }
        }
        apply();
    }

    @Override
    public SocksStatus status() {
        return server.status();
    }

    SocksServer server() {
        return server;
    }

    /** Under the lock, so two bind events on two threads reach the server in order. */
    private void apply() {
        synchronized (lock) {
            server.setTunnel(tcp, registry == null ? null : Reachability.of(registry));
        }
    }
}
