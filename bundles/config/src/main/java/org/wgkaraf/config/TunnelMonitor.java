package org.wgkaraf.config;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.api.wireguard.WireGuardStatus;

/**
 * The {@link WireGuardTunnelMXBean} of the client. One per configuration PID, under a name that
 * does not change when the tunnel is rebuilt, so a collector configured once keeps collecting.
 * Registered as an OSGi service with the {@code jmx.objectname} property: Karaf's JMX whiteboard
 * puts it in the platform MBean server and takes it out when this bundle stops.
 */
final class TunnelMonitor implements WireGuardTunnelMXBean {
    static final String OBJECT_NAME = "org.wgkaraf:type=WireGuardTunnel,name=network.wireguard";

    private final Supplier<WireGuardStatus> status;
    private final Supplier<ClientState> state;
    private final Supplier<Instant> now;

    TunnelMonitor(Supplier<WireGuardStatus> status, Supplier<ClientState> state, Supplier<Instant> now) {
        this.status = status;
        this.state = state;
        this.now = now;
    }

    private TunnelStatus tunnel() {
        return status.get().tunnel();
    }

    private PeerStatus peer() {
        TunnelStatus t = tunnel();
        return t == null || t.peers().isEmpty() ? null : t.peers().get(0);
    }

    @Override
    public String getState() {
        return state.get().name();
    }

    @Override
    public boolean isPeerUp() {
        return status.get().peerUp();
    }

    @Override
    public String getInterfaceName() {
        String n = status.get().interfaceName();
        return n == null ? "" : n;
    }

    @Override
    public int getListenPort() {
        TunnelStatus t = tunnel();
        return t == null ? 0 : t.listenPort();
    }

    @Override
    public String getEndpoint() {
        PeerStatus p = peer();
        return p == null || p.endpoint() == null ? ""
                : p.endpoint().getHostString() + ":" + p.endpoint().getPort();
    }

    @Override
    public long getLatestHandshakeEpochMillis() {
        PeerStatus p = peer();
        return p == null || p.latestHandshake() == null ? 0 : p.latestHandshake().toEpochMilli();
    }

    @Override
    public long getSecondsSinceLatestHandshake() {
        PeerStatus p = peer();
        return p == null || p.latestHandshake() == null ? -1 : Duration.between(p.latestHandshake(), now.get()).toSeconds();
    }

    @Override
    public long getBytesReceived() {
        PeerStatus p = peer();
        return p == null ? 0 : p.rxBytes();
    }

    @Override
    public long getBytesSent() {
        PeerStatus p = peer();
        return p == null ? 0 : p.txBytes();
    }

    @Override
    public long getPacketsReceived() {
        PeerStatus p = peer();
        return p == null ? 0 : p.rxPackets();
    }

    @Override
    public long getPacketsSent() {
        PeerStatus p = peer();
        return p == null ? 0 : p.txPackets();
    }

    @Override
    public Map<String, Long> getDrops() {
        TunnelStatus t = tunnel();
        Map<String, Long> out = new LinkedHashMap<>();
        if (t != null) {
            t.drops().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.put(e.getKey().name(), e.getValue()));
        }
        return out;
    }

    @Override
    public long getDropsTotal() {
        TunnelStatus t = tunnel();
        return t == null ? 0 : t.drops().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String getLastError() {
        String e = status.get().lastError();
        return e == null ? "" : e;
    }

    @Override
    public String getRefused() {
        String r = status.get().refused();
        return r == null ? "" : r;
    }
}
