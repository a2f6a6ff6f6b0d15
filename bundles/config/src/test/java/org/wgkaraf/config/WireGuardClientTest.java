package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.Uplink;
import org.wgkaraf.api.wireguard.WireGuardStatus;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** The client's lifecycle against the real engine and a real peer on loopback. */
class WireGuardClientTest {
    /** How long a wait for the client or the engine may take. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final EngineService engine = new EngineService();
    private final FakeRegistry registry = new FakeRegistry();
    private Tunnel server;
    private SecretKey moduleKey;
    private WireGuardClient client;

    @BeforeEach
    void startServer() throws Exception {
        moduleKey = engine.generatePrivateKey();
        SecretKey serverKey = engine.generatePrivateKey();
        server = engine.open(new TunnelConfig("server", serverKey, 0, List.of(new PeerConfig(engine.publicKey(moduleKey), null,
                null, List.of(IpPrefix.parse("172.16.10.20/32")), 0))), (b, o, l) -> { });
        serverPublic = engine.publicKey(serverKey).toBase64();
    }

    private String serverPublic;

    @AfterEach
    void stopAll() {
        if (client != null) {
            client.deactivate();
        }
        engine.closeAll();
    }

    private Map<String, Object> config(int keepalive) {
        Map<String, Object> m = new HashMap<>();
        m.put("local_ip_address", "172.16.10.20");
        m.put("local_ip_netmask", "255.240.0.0");
        m.put("local_private_key", moduleKey.toBase64());
        m.put("peer_endpoint", "localhost");
        m.put("peer_port", Integer.toString(server.status().listenPort()));
        m.put("peer_public_key", serverPublic);
        m.put("persistent_keepalive", Integer.toString(keepalive));
        return m;
    }

    private final FakeConfigAdmin configAdmin = new FakeConfigAdmin();

    /** A client as SCR makes it: the configuration as ConfigAdmin holds it, every later update handed over. */
    private WireGuardClient newClient(Map<String, Object> config) {
        configAdmin.put(config);
        WireGuardClient c = new WireGuardClient(engine, registry, new ConfigStore(configAdmin.admin),
                new SecretStore(dir.resolve("secrets")), dir.resolve("stopped"), null, configAdmin.asMap());
        configAdmin.onUpdate = c::modified;
        return c;
    }

    private void networkReady(Uplink uplink) {
        client.lifecycle().networkReady(uplink);
    }

    private static Uplink uplink(String name, String address) throws Exception {
        return new Uplink(name, (java.net.Inet4Address) InetAddress.getByName(address),
                (java.net.Inet4Address) InetAddress.getByName("192.168.1.1"));
    }

    @Test
    void startsWhenTheNetworkIsReadyAndTheInterfaceLinksUpWithThePeer() throws Exception {
        client = newClient(config(25));
        assertFalse(client.status().started(), "not before the network is ready");
        assertEquals("waiting for the network", client.status().lastError());
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        WireGuardStatus s = client.status();
        assertTrue(s.started());
        assertEquals("wg3", s.interfaceName());
        Await.until("link up", WAIT, () -> registry.open().size() == 1 && registry.open().get(0).linkUp);
    }

    @Test
    void anInvalidUpdateIsRefusedAndTheTunnelKeepsRunning() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        Instant handshake = client.status().tunnel().peers().get(0).latestHandshake();
        Map<String, Object> bad = config(25);
        bad.put("peer_port", "70000");
        configAdmin.put(bad);
        WireGuardStatus s = client.status();
        assertNotNull(s.refused());
        assertTrue(s.refused().contains("peer_port: 70000 is out of range"), s.refused());
        assertTrue(s.started());
        assertTrue(s.peerUp());
        assertEquals(handshake, s.tunnel().peers().get(0).latestHandshake(), "same session");
        assertEquals(1, registry.registered.size(), "no new interface");

        configAdmin.put(config(25));
        assertNull(client.status().refused(), "a valid configuration clears the refusal");
    }

    @Test
    void aNewKeepaliveIsAppliedToTheRunningTunnel() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        configAdmin.put(config(10));
        WireGuardStatus s = client.status();
        assertEquals(10, s.tunnel().peers().get(0).persistentKeepaliveSeconds());
        assertEquals(1, registry.registered.size(), "same interface, same tunnel");
    }

    @Test
    void followsTheNetworkAwayAndBackAndRebindsOnAnUplinkChange() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        Instant handshake = client.status().tunnel().peers().get(0).latestHandshake();
        int portBefore = client.status().tunnel().listenPort();
        client.lifecycle().uplinkChanged(uplink("eth0", "192.168.1.12"), uplink("wwan0", "10.64.0.7"));
        WireGuardStatus s = client.status();
        assertTrue(s.started());
        assertNotEquals(portBefore, s.tunnel().listenPort(), "a new socket (local_port 0: bound before the old one closes)");
        assertEquals(handshake, s.tunnel().peers().get(0).latestHandshake(), "roaming keeps the session");
        assertEquals(1, registry.registered.size());
        Await.until("the server follows the module to its new port", WAIT,
                () -> server.status().peers().get(0).endpoint() != null
                        && server.status().peers().get(0).endpoint().getPort() == client.status().tunnel().listenPort());

        client.lifecycle().networkGone();
        Await.until("stopped", WAIT, () -> !client.status().started());
        assertTrue(registry.open().isEmpty(), "the interface is gone with the tunnel");
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up again", WAIT, () -> client.status().peerUp());
    }

    @Test
    void wireguardStopHoldsAcrossNetworkEventsAndRestartsUntilStart() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("started", WAIT, () -> client.status().started());
        client.stop();
        assertFalse(client.status().started());
        assertTrue(client.status().stoppedByUser());
        networkReady(uplink("eth0", "192.168.1.13"));
        assertFalse(client.status().started(), "a network event does not undo 'wireguard stop'");
        client.deactivate();

        client = newClient(config(25)); // the container restarted
        networkReady(uplink("eth0", "192.168.1.12"));
        assertFalse(client.status().started(), "still stopped after a restart");
        client.start();
        Await.until("started", WAIT, () -> client.status().started());
        assertFalse(client.status().stoppedByUser());
    }

    @Test
    void aFailedStartIsRetriedAndLeavesNothingHalfBuilt() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(0)) {
            Map<String, Object> c = config(25);
            c.put("local_port", Integer.toString(busy.getLocalPort()));
            client = newClient(c);
            networkReady(uplink("eth0", "192.168.1.12"));
            Await.until("failure reported", WAIT,
                    () -> client.status().lastError() != null && client.status().lastError().startsWith("cannot start"));
            assertTrue(client.status().lastError().contains("cannot listen on UDP port " + busy.getLocalPort()));
            assertFalse(client.status().started());
            assertTrue(registry.open().isEmpty(), "no interface left from the failed start");
            assertTrue(engine.tunnels().stream().noneMatch(t -> t.name().startsWith("wg")));
        }
        Await.until("retried after the port was freed", WAIT, () -> client.status().peerUp());
    }

    @Test
    void packetsFlowBetweenTheInterfaceAndTheTunnel() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        FakeRegistry.FakeNetif netif = registry.open().get(0);
        byte[] p = PacketBuilder.ipv4("172.16.1.10", "172.16.10.20").raw(PacketBuilder.UDP, new byte[8]).build();
        server.send(p, 0, p.length);
        Await.until("the interface received the server's packet", WAIT, () -> netif.received.size() == 1);
        assertNull(client.status().refused());
    }

    @Test
    void aConfigurationBeingTypedInIsIncompleteNotRefused() throws Exception {
        Map<String, Object> partial = config(25);
        partial.remove("peer_public_key");
        partial.remove("local_private_key");
        client = newClient(partial);
        networkReady(uplink("eth0", "192.168.1.12"));
        WireGuardStatus s = client.status();
        assertNull(s.refused(), "nothing wrong was given");
        assertEquals("not configured yet: local_private_key, peer_public_key missing", s.lastError());
        assertFalse(s.started());

        configAdmin.put(config(25));
        Await.until("started once complete", WAIT, () -> client.status().peerUp());
        // The client moves the clear key out of ConfigAdmin on its own thread; the removal below
        // comes after that, as a person's next command would.
        Await.until("the key hidden", WAIT, () -> SecretStore.HIDDEN.equals(configAdmin.get("local_private_key")));
        Map<String, Object> unset = config(25);
        unset.remove("peer_public_key");
        configAdmin.put(unset);
        assertTrue(client.status().refused().contains("peer_public_key: is required"),
                "taking a value away from a running tunnel is refused; the tunnel keeps it");
        assertTrue(client.status().peerUp());
    }

    @Test
    void aClearKeyArrivingThroughConfigAdminMovesToTheSecretStore() throws Exception {
        client = newClient(config(25)); // config(): the private key in clear, as config:property-set leaves it
        Await.until("ConfigAdmin holds (hidden)", WAIT, () -> SecretStore.HIDDEN.equals(configAdmin.get("local_private_key")));
        assertEquals(moduleKey.toBase64(), new SecretStore(dir.resolve("secrets")).get(
                org.wgkaraf.api.wireguard.Instance.LOCAL_PRIVATE_KEY).orElseThrow());
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("the tunnel runs on the stored key", WAIT, () -> client.status().peerUp());
    }

    @Test
    void aRefusedValueIsShownWithTheValueTheTunnelKeeps() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        Map<String, Object> bad = new HashMap<>(configAdmin.asMap());
        bad.put("peer_port", "70000");
        configAdmin.put(bad);
        Await.until("refused", WAIT, () -> client.status().refused() != null);
        org.wgkaraf.api.wireguard.Setting port = client.get(org.wgkaraf.api.wireguard.Instance.PEER_PORT);
        assertEquals("70000", port.display());
        assertEquals("70000 is out of range: expected a UDP port from 1 to 65535", port.refused());
        assertEquals(Integer.toString(server.status().listenPort()), port.inUse());
        assertNull(client.get(org.wgkaraf.api.wireguard.Instance.LOCAL_IP_ADDRESS).refused());
    }

    /**
     * Karaf's file installer can read etc/network.wireguard.cfg while it is being written and
     * hand ConfigAdmin an empty configuration, which it would then write back to the file. The
     * client refuses it, keeps the tunnel, and writes the accepted values back.
     */
    @Test
    void anEmptiedConfigurationIsRefusedTheTunnelKeepsRunningAndTheValuesComeBack() throws Exception {
        client = newClient(config(25));
        networkReady(uplink("eth0", "192.168.1.12"));
        Await.until("peer up", WAIT, () -> client.status().peerUp());
        Await.until("the keys hidden in ConfigAdmin", WAIT,
                () -> SecretStore.HIDDEN.equals(configAdmin.asMap().get("local_private_key")));
        Map<String, Object> accepted = new HashMap<>(configAdmin.asMap());
        java.time.Instant handshake = client.status().tunnel().peers().get(0).latestHandshake();
        configAdmin.put(Map.of());
        Await.until("the accepted values back in ConfigAdmin", WAIT, () -> {
            Map<String, Object> now = configAdmin.asMap();
            return accepted.entrySet().stream().allMatch(e -> e.getValue().toString().equals(String.valueOf(now.get(e.getKey()))));
        });
        Await.until("nothing refused once they are back", WAIT, () -> client.status().refused() == null);
        assertTrue(client.status().peerUp(), "the tunnel kept its configuration");
        assertEquals(1, registry.open().size());
        assertEquals(handshake, client.status().tunnel().peers().get(0).latestHandshake(), "no new handshake: the tunnel was never rebuilt");
        client.stop();
        assertTrue(registry.open().isEmpty(), "wireguard stop stops it");
    }

    /**
     * The settings service and the client share one secret store: a key set with {@code config
     * set} while the client moves a clear key out of ConfigAdmin loses neither. (Each used to make
     * its own store of the same file, with its own lock and one temporary file name.)
     */
    @Test
    void aKeySetWhileTheClientStoresAnotherLosesNeither() throws Exception {
        client = newClient(config(25));
        SecretStore store = new SecretStore(dir.resolve("secrets"));
        for (int round = 0; round < 20; round++) {
            String psk = engine.generatePrivateKey().toBase64();
            SecretKey fresh = engine.generatePrivateKey();
            Map<String, Object> withClearKey = new HashMap<>(configAdmin.asMap());
            withClearKey.put("local_private_key", fresh.toBase64());
            Thread settings = new Thread(() -> client.set(org.wgkaraf.api.wireguard.Instance.PRESHARED_KEY, psk));
            settings.start();
            configAdmin.put(withClearKey);
            settings.join();
            int r = round;
            Await.until("round " + r + ": the clear key stored and hidden", WAIT,
                    () -> SecretStore.HIDDEN.equals(configAdmin.get("local_private_key")));
            assertEquals(psk, store.get(org.wgkaraf.api.wireguard.Instance.PRESHARED_KEY).orElse(null), "round " + round);
            assertEquals(fresh.toBase64(), store.get(org.wgkaraf.api.wireguard.Instance.LOCAL_PRIVATE_KEY).orElse(null),
                    "round " + round);
        }
    }
}
