package org.wgkaraf.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.wgkaraf.engine.interop.Await;
import org.wgkaraf.engine.interop.Lab;
import org.wgkaraf.engine.interop.Netns;
import org.wgkaraf.engine.interop.Prerequisites;
import org.wgkaraf.engine.interop.WgKeys;
import org.wgkaraf.engine.interop.WireGuardGoPeer;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.ip.Ipv4Layer;
import org.wgkaraf.netif.ping.PingServiceImpl;
import org.wgkaraf.netif.registry.LinuxHostProbe;
import org.wgkaraf.netif.registry.NetifRegistryService;
import org.wgkaraf.netif.spi.VirtualBackend;

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
        Process echo = new ProcessBuilder("ip", "netns", "exec", ns.name(), javaBinary(), "-cp", System.getProperty("java.class.path"),
                UdpEchoMain.class.getName(), serverAddress, "7001").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
             UdpSocket socket = ip.bind(0)) {
            assertEquals("ready", out.readLine(), "the echo server in the namespace started");
            byte[] hello = "hello from the module".getBytes(StandardCharsets.UTF_8);
            socket.send((Inet4Address) InetAddress.getByName(serverAddress), 7001, hello, 0, hello.length);
            UdpSocket.Datagram d = socket.receive(Duration.ofSeconds(10));
            assertNotNull(d, "the echo came back through the tunnel");
            assertEquals("HELLO FROM THE MODULE", new String(d.data(), StandardCharsets.UTF_8));
            assertEquals(serverAddress, d.source().getHostAddress());
            assertEquals(7001, d.sourcePort());
        } finally {
            echo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void malformedInnerPacketsAreDroppedAndCountedAndNothingStopsWorking() {
        byte[] good = ipv4(serverAddress, moduleAddress, 64, 1, new byte[] {8, 0, 0, 0, 0, 1, 0, 1});
        icmpChecksum(good);
        List<byte[]> bad = new ArrayList<>();
        bad.add(java.util.Arrays.copyOf(good, 15)); // truncated
        byte[] checksum = good.clone();
        checksum[10] ^= 1;
        bad.add(checksum);
        byte[] ihl = good.clone();
        ihl[0] = 0x44;
        bad.add(ihl);
        byte[] options = new byte[good.length + 4];
        System.arraycopy(good, 0, options, 0, 20);
        System.arraycopy(good, 20, options, 24, good.length - 20);
        options[0] = 0x46;
        options[3] = (byte) options.length;
        headerChecksum(options);
        bad.add(options);
        byte[] fragment = good.clone();
        fragment[6] = 0x20; // more fragments
        headerChecksum(fragment);
        bad.add(fragment);
        byte[] ttl0 = good.clone();
        ttl0[8] = 0;
        headerChecksum(ttl0);
        bad.add(ttl0);
        byte[] elsewhere = ipv4(serverAddress, ns.innerAddress(77), 64, 1, new byte[] {8, 0, 0, 0, 0, 1, 0, 1});
        icmpChecksum(elsewhere);
        bad.add(elsewhere);

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

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static byte[] ipv4(String src, String dst, int ttl, int protocol, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        try {
            System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
            System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        System.arraycopy(payload, 0, p, 20, payload.length);
        headerChecksum(p);
        return p;
    }

    private static void headerChecksum(byte[] p) {
        int ihl = (p[0] & 0x0f) * 4;
        p[10] = 0;
        p[11] = 0;
        int c = checksum(p, 0, ihl);
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
    }

    private static void icmpChecksum(byte[] p) {
        p[22] = 0;
        p[23] = 0;
        int c = checksum(p, 20, p.length - 20);
        p[22] = (byte) (c >>> 8);
        p[23] = (byte) c;
    }

    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
