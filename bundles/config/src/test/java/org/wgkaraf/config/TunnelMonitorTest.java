package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.api.wireguard.WireGuardStatus;
import org.wgkaraf.engine.runtime.EngineService;

class TunnelMonitorTest {
    @Test
    void aJmxClientReadsTheTunnelWithOpenTypesOnly() throws Exception {
        Instant handshake = Instant.parse("2026-12-03T10:00:00Z");
        Instant now = handshake.plusSeconds(42);
        var key = new EngineService().publicKey(new EngineService().generatePrivateKey());
        PeerStatus peer = new PeerStatus(key, new InetSocketAddress("203.0.113.5", 51820), true, handshake,
                1000, 2000, 10, 20, 25, null);
        TunnelStatus tunnel = new TunnelStatus("wg3", true, key, 11010, List.of(peer),
                Map.of(DropReason.values()[0], 3L, DropReason.values()[1], 4L), null);
        WireGuardStatus status = new WireGuardStatus(true, true, "wg3", tunnel, false, null, null);
        TunnelMonitor monitor = new TunnelMonitor(() -> status, () -> ClientState.RUNNING, () -> now);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(TunnelMonitor.OBJECT_NAME);
        server.registerMBean(new StandardMBean(monitor, WireGuardTunnelMXBean.class, true), name);
        try {
            assertEquals("RUNNING", server.getAttribute(name, "State"));
            assertEquals(true, server.getAttribute(name, "PeerUp"));
            assertEquals("wg3", server.getAttribute(name, "InterfaceName"));
            assertEquals(11010, server.getAttribute(name, "ListenPort"));
            assertEquals("203.0.113.5:51820", server.getAttribute(name, "Endpoint"));
            assertEquals(handshake.toEpochMilli(), server.getAttribute(name, "LatestHandshakeEpochMillis"));
            assertEquals(42L, server.getAttribute(name, "SecondsSinceLatestHandshake"));
            assertEquals(1000L, server.getAttribute(name, "BytesReceived"));
            assertEquals(2000L, server.getAttribute(name, "BytesSent"));
            assertEquals(7L, server.getAttribute(name, "DropsTotal"));
            assertTrue(server.getAttribute(name, "Drops") instanceof TabularData t && t.size() == 2);
            assertEquals("", server.getAttribute(name, "LastError"));
        } finally {
            server.unregisterMBean(name);
        }
    }

    @Test
    void withoutATunnelEveryFigureIsEmptyNotAnError() {
        WireGuardStatus status = new WireGuardStatus(false, false, null, null, true, null, null);
        TunnelMonitor m = new TunnelMonitor(() -> status, () -> ClientState.STOPPED_BY_USER, Instant::now);
        assertEquals("STOPPED_BY_USER", m.getState());
        assertEquals("", m.getInterfaceName());
        assertEquals(-1, m.getSecondsSinceLatestHandshake());
        assertEquals(0, m.getDropsTotal());
        assertEquals(Map.of(), m.getDrops());
    }
}
