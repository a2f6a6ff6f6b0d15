package org.wgkaraf.access.ssh;

import java.util.Map;
import org.apache.sshd.server.SshServer;
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
import org.wgkaraf.api.access.SshBridge;
import org.wgkaraf.api.access.SshBridgeStatus;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * The SSH bridge as a component: setting {@code ssh_port} of PID {@code network.wireguard}
 * (default 22, 0 = off), the tunnel's {@link TcpService}, and Karaf's SSH server, which Karaf's
 * ssh bundle registers as an {@link SshServer} service.
 * <p>
 * Every reference is dynamic, so the bridge lives through the netif bundle being swapped and
 * Karaf's SSH server being rebuilt (each change of {@code org.apache.karaf.shell} stops the
 * server and registers a new one, leaving the stopped one registered: the bridge uses the newest
 * open one). A change of any other key of the PID reaches {@link #modified} and changes nothing.
 */
@Component(service = SshBridge.class, configurationPid = WireGuardSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class SshBridgeComponent implements SshBridge {
    public static final String KEY = "ssh_port";
    public static final int DEFAULT_PORT = 22;
    private static final Logger LOG = LoggerFactory.getLogger(SshBridgeComponent.class);

    private final PortSetting setting;
    private final Bridge bridge;

    @Activate
    public SshBridgeComponent(Map<String, Object> properties) {
        setting = new PortSetting(KEY, DEFAULT_PORT, "the SSH bridge", LOG);
        bridge = new Bridge(setting.update(properties));
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        bridge.setPort(setting.update(properties));
    }

    @Deactivate
    public void deactivate() {
        bridge.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindTcpService(TcpService service) {
        bridge.addTcpService(service);
    }

    public void unbindTcpService(TcpService service) {
        bridge.removeTcpService(service);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindSshServer(SshServer server, Map<String, Object> properties) {
        bridge.addServer(server, serviceId(properties));
    }

    public void unbindSshServer(SshServer server, Map<String, Object> properties) {
        bridge.removeServer(server, serviceId(properties));
    }

    @Override
    public SshBridgeStatus status() {
        return bridge.status();
    }

    Bridge bridge() {
        return bridge;
    }

    private static long serviceId(Map<String, Object> properties) {
        Object id = properties.get("service.id");
        return id instanceof Number n ? n.longValue() : 0L;
    }
}
