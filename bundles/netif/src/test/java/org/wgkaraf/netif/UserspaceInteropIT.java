package org.wgkaraf.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.netif.PingResult;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.api.netif.UdpSocket;
import org.wgkaraf.api.netif.VirtualNetif;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.ip.Ipv4Layer;
import org.wgkaraf.netif.ping.PingServiceImpl;
import org.wgkaraf.netif.registry.LinuxHostProbe;
import org.wgkaraf.netif.registry.NetifRegistryService;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.NamespaceJvm;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * The module as a host on the private network through the userspace backend: the engine's tunnel
 * registered as {@code wg<n>}, its packets through the userspace IPv4 layer, wireguard-go as the
 * server in a namespace.
 */
class UserspaceInteropIT {
    private static final int WG_PORT = 51820;

    private Lab lab;
    private Netns ns;
    private WireGuardGoPeer wg;
    private final EngineService engine = new EngineService();
    private final Ipv4Layer ip = new Ipv4Layer();
    private NetifRegistryService registry;
    private Tunnel tunnel;
    private VirtualNetif netif;
    private final ScheduledExecutorService linkWatch = Executors.newSingleThreadScheduledExecutor();
    private String moduleAddress;
    private String serverAddress;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    @BeforeEach
    void connect() throws Exception {
        lab = Lab.open();
        ns = lab.netns();
        WgKeys.KeyPair moduleKeys = WgKeys.generate();
        WgKeys.KeyPair serverKeys = WgKeys.generate();
        moduleAddress = ns.innerAddress(2);
        serverAddress = ns.innerAddress(1);
        wg = lab.wireguardGo(ns, serverKeys, WG_PORT, serverAddress + "/24", List.of(
                new WireGuardGoPeer.PeerSpec(moduleKeys.publicKey(), null, List.of(moduleAddress + "/32"), null, 0)));

        registry = new NetifRegistryService(new LinuxHostProbe(), Duration.ofSeconds(2),
                Map.<NetifRegistry.Backend, VirtualBackend>of(NetifRegistry.Backend.USERSPACE, ip));
        Inet4Address addr = (Inet4Address) InetAddress.getByName(moduleAddress);
        Inet4Address mask = (Inet4Address) InetAddress.getByName("255.255.255.0");
        netif = registry.register("wg", addr, mask, NetifRegistry.Backend.USERSPACE, (p, o, l) -> tunnel.send(p, o, l));
        tunnel = engine.open(new TunnelConfig(netif.info().name(), moduleKeys.secret(), 0, List.of(new PeerConfig(
                serverKeys.publicKeyObject(), null, new Endpoint(ns.nsAddress(), WG_PORT),
                List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 25))), (p, o, l) -> netif.receive(p, o, l));
        // Link up exactly while the peer is up, as the client does it.
        linkWatch.scheduleAtFixedRate(() -> netif.setLinkUp(tunnel.status().peers().get(0).up()), 0, 100, TimeUnit.MILLISECONDS);
        Await.until("the tunnel interface links up with the peer", Duration.ofSeconds(10), () -> registry.interfaces().stream()
                .anyMatch(i -> i.name().equals(netif.info().name()) && i.linkup()));
    }

    @AfterEach
    void close() throws Exception {
        linkWatch.shutdownNow();
        if (tunnel != null) {
            tunnel.close();
        }
        if (netif != null) {
            netif.close();
        }
        if (registry != null) {
            registry.close();
        }
        ip.close();
        lab.close();
        lab.assertNothingLeft();
    }

    @Test
    void theServerSidePingsTheModulesTunnelAddress() {
        int received = wg.ping(moduleAddress, 5, Duration.ofSeconds(10));
        assertTrue(received >= 5, "replies from the module: " + received);
    }

    @Test
    void theModulesPingServiceReachesAHostBehindTheServerWithNoLoss() throws Exception {
        PingService ping = new PingServiceImpl(ip);
        List<String> events = new ArrayList<>();
        PingResult r = ping.ping(serverAddress, PingService.Options.DEFAULT, new PingService.Listener() {
            @Override
            public void started(String host, InetAddress address, int dataSize) {
                events.add("started " + address.getHostAddress() + " " + dataSize);
            }

            @Override
            public void reply(int sequence, int bytes, int ttl, double rttMillis) {
                events.add("reply " + sequence + " " + bytes + " " + ttl);
            }

            @Override
            public void timeout(int sequence) {
                events.add("timeout " + sequence);
            }
        });
        assertEquals(4, r.transmitted());
        assertEquals(4, r.received(), events.toString());
        assertEquals(0, r.lossPercent());
        assertEquals("started " + serverAddress + " 64", events.get(0));
        assertEquals("reply 0 64 64", events.get(1), "the data size, as the original prints it; TTL 64 from a Linux host");
        for (double rtt : r.rttMillis()) {
            assertTrue(rtt > 0 && rtt < 1000, "round trip " + rtt + " ms");
        }
    }

    @Test
    void udpGoesBothWays() throws Exception {
        try (NamespaceJvm echo = NamespaceJvm.start(ns.name(), List.of(), UdpEchoMain.class, List.of(serverAddress, "7001"));
             UdpSocket socket = ip.bind(0)) {
            assertEquals("ready", echo.firstLine(Duration.ofSeconds(30)), "the echo server in the namespace started");
            byte[] hello = "hello from the module".getBytes(StandardCharsets.UTF_8);
            socket.send((Inet4Address) InetAddress.getByName(serverAddress), 7001, hello, 0, hello.length);
            UdpSocket.Datagram d = socket.receive(Duration.ofSeconds(10));
            assertNotNull(d, "the echo came back through the tunnel");
            assertEquals("HELLO FROM THE MODULE", new String(d.data(), StandardCharsets.UTF_8));
            assertEquals(serverAddress, d.source().getHostAddress());
            assertEquals(7001, d.sourcePort());
        }
    }

    @Test
    void malformedInnerPacketsAreDroppedAndCountedAndNothingStopsWorking() {
        List<byte[]> bad = List.of(
                echoToModule().truncateTo(15).build(),
                echoToModule().corruptHeaderChecksum().build(),
                echoToModule().headerWords(4).build(),
                echoToModule().options(new byte[4]).build(),
                echoToModule().fragment(0x2000).build(), // more fragments
                echoToModule().ttl(0).build(),
                PacketBuilder.ipv4(serverAddress, ns.innerAddress(77)).echoRequest(1, 1, new byte[0]).build());

        long before = total(ip.drops());
        for (byte[] p : bad) {
            netif.receive(p, 0, p.length); // as the engine hands over what the tunnel carried
        }
        Map<DropReason, Long> drops = ip.drops();
        assertEquals(before + bad.size(), total(drops), drops.toString());
        for (DropReason r : List.of(DropReason.TRUNCATED, DropReason.BAD_HEADER_CHECKSUM, DropReason.BAD_HEADER_LENGTH,
                DropReason.IP_OPTIONS, DropReason.FRAGMENT, DropReason.TTL_ZERO, DropReason.NOT_FOR_US)) {
            assertTrue(drops.get(r) >= 1, r + " counted: " + drops);
        }
        assertTrue(wg.ping(moduleAddress, 3, Duration.ofSeconds(10)) >= 3, "the module still answers");
    }

    private static long total(Map<DropReason, Long> drops) {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** An echo request from the server to the module, well-formed until a test breaks one field. */
    private PacketBuilder echoToModule() {
        return PacketBuilder.ipv4(serverAddress, moduleAddress).echoRequest(1, 1, new byte[0]);
    }
}
