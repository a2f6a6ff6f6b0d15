package org.wgkaraf.netif;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.ip.Ipv4Layer;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.netif.tcp.TunnelTcpService;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.NamespaceJvm;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * The module on the userspace backend, for TCP interop tests: the Java engine's tunnel to a
 * wireguard-go server in a namespace, its packets through the userspace IPv4 layer and its TCP,
 * and the one TcpService over it. The server's side of TCP is the Linux kernel's, driven by
 * {@link TcpPeer} in a child JVM inside the namespace. The outer UDP path may go through a
 * {@link LossyRelay}.
 */
public final class ModuleTunnel implements AutoCloseable {
    public static final int WG_PORT = 51820;

    public final Lab lab;
    public final Netns ns;
    public final WireGuardGoPeer wg;
    final EngineService engine = new EngineService();
    public final Ipv4Layer ip = new Ipv4Layer();
    public final TunnelTcpService tcp = new TunnelTcpService(List.of(ip));
    public final String moduleAddress;
    public final String serverAddress;
    public final LossyRelay relay;
    private final WgKeys.KeyPair moduleKeys;
    /** What the link watcher last set the interface's link to. */
    private volatile boolean linkSetUp;
    private final ScheduledExecutorService linkWatch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "module-link-watch");
        t.setDaemon(true);
        return t;
    });
    private final List<NamespaceJvm> peers = new ArrayList<>();
    public volatile Tunnel tunnel;
    public final VirtualBackend.Attachment netif;
    /** Sees every packet the module sends into the tunnel, before the tunnel does. */
    public volatile PacketSink tap = (p, o, l) -> { };

    /** When the tunnel was up for the module, and when a ping from wireguard-go's namespace first got through (nanoTime). */
    public final long upAt;
    public final long reachedAt;

    private ModuleTunnel(LossyRelay.Settings relaySettings, Predicate<byte[]> dropFromModule) throws IOException {
        lab = Lab.open();
        try {
            ns = lab.netns();
            moduleKeys = WgKeys.generate();
            WgKeys.KeyPair serverKeys = WgKeys.generate();
            moduleAddress = ns.innerAddress(2);
            serverAddress = ns.innerAddress(1);
            wg = lab.wireguardGo(ns, serverKeys, WG_PORT, serverAddress + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(moduleKeys.publicKey(), null, List.of(moduleAddress + "/32"), null, 0)));
            Endpoint endpoint;
            if (relaySettings != null) {
                relay = new LossyRelay(ns.rootAddress(), new InetSocketAddress(ns.nsAddress(), WG_PORT), relaySettings);
                relay.dropFromEngine = dropFromModule;
                InetSocketAddress front = relay.frontAddress();
                endpoint = new Endpoint(front.getAddress().getHostAddress(), front.getPort());
            } else {
                relay = null;
                endpoint = new Endpoint(ns.nsAddress(), WG_PORT);
            }
            NetifInfo info = new NetifInfo(1, "wg1", NetifInfo.Kind.VIRTUAL, true, false, address(moduleAddress),
                    address("255.255.255.0"), address("0.0.0.0"));
            netif = ip.attach(info, new PacketSink() {
                @Override
                public void deliver(byte[] p, int o, int l) {
                    tap.deliver(p, o, l);
                    tunnel.send(p, o, l);
                }

                @Override
                public void deliverMore(byte[] p, int o, int l) {
                    tap.deliver(p, o, l);
                    tunnel.sendMore(p, o, l); // a burst, as the product's bridge passes it on
                }

                @Override
                public void flush() {
                    tunnel.flush();
                }
            });
            tunnel = engine.open(new TunnelConfig("wg1", moduleKeys.secret(), 0, List.of(new PeerConfig(
                    serverKeys.publicKeyObject(), null, endpoint, List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 25))),
                    new PacketSink() {
                        @Override
                        public void deliver(byte[] p, int o, int l) {
                            netif.input(p, o, l);
                        }

                        @Override
                        public void flush() {
                            netif.flush(); // the end of a receive burst, as the product's bridge passes it on
                        }
                    });
            // Link up exactly while the peer is up, as the product's client does it.
            linkWatch.scheduleAtFixedRate(() -> {
                boolean up = tunnel.status().peers().get(0).up();
                netif.setLinkUp(up);
                linkSetUp = up;
            }, 0, 50, TimeUnit.MILLISECONDS);
            Await.until("the tunnel to wireguard-go is up", Duration.ofSeconds(30),
                    () -> tunnel.status().peers().get(0).up(), this::diagnostics);
            upAt = System.nanoTime();
            Await.until("the link watcher saw it", Duration.ofSeconds(2), () -> linkSetUp && ip.covers(address(serverAddress)));
            // The session is up for us, but wireguard-go (the responder) sends on it only once our
            // first packet has confirmed it. That packet is the handshake's keepalive; should the
            // relay lose it, wireguard-go stages what it would send and starts a handshake of its
            // own only after 5 s. A test's first SYN from the kernel would wait in that queue with
            // its retransmissions, then arrive as a burst: the kernel takes the 5 s as the round
            // trip of its SYN, and its retransmission timeout stays seconds long for the first
            // second or two of the transfer (CI once saw a 3.9 s stall from it). A ping answered
            // from the namespace shows the session works both ways before any test begins.
            // -i 0.2: one ping every 200 ms until one is answered (at most 1 s waited for the last)
            Await.until("wireguard-go reaches the module (a ping from its namespace)", Duration.ofSeconds(30),
                    () -> ns.cmd("ping", "-n", "-q", "-c", "1", "-w", "1", "-i", "0.2", moduleAddress).tryRun().ok(), this::diagnostics);
            reachedAt = System.nanoTime();
        } catch (RuntimeException | IOException e) {
            closeQuietly();
            throw e;
        }
    }

    public static ModuleTunnel open() throws IOException {
        return new ModuleTunnel(null, d -> false);
    }

    public static ModuleTunnel openThroughRelay(LossyRelay.Settings settings) throws IOException {
        return new ModuleTunnel(settings, d -> false);
    }

    /** Through a relay that also drops what {@code dropFromModule} picks of the module's datagrams, from the start. */
    public static ModuleTunnel openThroughRelay(LossyRelay.Settings settings, Predicate<byte[]> dropFromModule) throws IOException {
        return new ModuleTunnel(settings, dropFromModule);
    }

    public static Inet4Address address(String dotted) {
        return PacketBuilder.ipv4(dotted);
    }

    public Inet4Address server() {
        return address(serverAddress);
    }

    /** Starts {@link TcpPeer} in the namespace with these arguments; closed with the tunnel. */
    public NamespaceJvm kernelPeer(String... args) {
        NamespaceJvm p = NamespaceJvm.start(ns.name(), List.of("-Xmx96m", "-XX:+UseSerialGC"), TcpPeer.class, List.of(args));
        peers.add(p);
        return p;
    }

    /** The namespace's view of TCP on the server address (ss) and its TCP counters, for failure messages. */
    public String kernelSockets() {
        StringBuilder s = new StringBuilder(ns.cmd("ss", "-tni").tryRun().stdout());
        s.append("kernel counters:");
        for (String line : ns.cmd("nstat", "-az").tryRun().stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && (f[0].startsWith("Tcp") || f[0].startsWith("Udp")) && !f[1].equals("0")) {
                s.append(' ').append(f[0]).append('=').append(f[1]);
            }
        }
        return s.append('\n').toString();
    }

    public String diagnostics() {
        StringBuilder s = new StringBuilder();
        Tunnel t = tunnel;
        if (t != null) {
            s.append("tunnel: ").append(t.status()).append('\n');
        }
        s.append("tcp: ").append(tcp.status()).append('\n').append(ip.tcpConnections());
        s.append("ip drops: ");
        ip.drops().forEach((r, n) -> {
            if (n > 0) {
                s.append(r).append('=').append(n).append(' ');
            }
        });
        s.append('\n');
        s.append("UDP (root): ").append(udpCounters(org.wgkaraf.testsupport.interop.Shell.cmd("cat", "/proc/net/snmp").tryRun().stdout()));
        s.append("UDP (namespace): ").append(udpCounters(ns.cmd("cat", "/proc/net/snmp").tryRun().stdout()));
        if (relay != null) {
            s.append(relay).append('\n');
        }
        s.append("wireguard-go log:\n").append(wg.logTail(20));
        return s.toString();
    }

    private static String udpCounters(String snmp) {
        StringBuilder s = new StringBuilder();
        for (String line : snmp.split("\n")) {
            if (line.startsWith("Udp:")) {
                s.append(line).append('\n');
            }
        }
        return s.toString();
    }

    /** Every thread's stack, for a test that found something stuck. */
    public static String threadDump() {
        StringBuilder s = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            s.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                s.append("    at ").append(e).append('\n');
            }
        });
        return s.toString();
    }

    @Override
    public void close() {
        closeQuietly();
        lab.assertNothingLeft();
    }

    private void closeQuietly() {
        for (NamespaceJvm p : peers) {
            p.close();
        }
        linkWatch.shutdownNow();
        ip.close();
        if (tunnel != null) {
            tunnel.close();
        }
        engine.closeAll();
        if (relay != null) {
            try {
                relay.close();
            } catch (IOException e) {
                System.err.println("closing the relay failed: " + e);
            }
        }
        lab.close();
    }
}
