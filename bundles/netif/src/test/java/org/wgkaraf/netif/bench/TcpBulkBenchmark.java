package org.wgkaraf.netif.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.LossyRelay;
import org.wgkaraf.netif.ModuleTunnel;
import org.wgkaraf.netif.TcpPeer;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.netif.tcp.TcpDiagnostics;
import org.wgkaraf.netif.tcp.TunnelTcpService;
import org.wgkaraf.netif.tun.AttachmentSink;
import org.wgkaraf.netif.tun.PseudoRandomStream;
import org.wgkaraf.netif.tun.TunBackend;
import org.wgkaraf.netif.tun.TunnelInput;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.NamespaceJvm;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.Shell;
import org.wgkaraf.testsupport.interop.Subnets;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;

/**
 * Bulk TCP through a WireGuard tunnel, three ways, each direction, on a clean path and through the
 * lossy relay, several runs each (bench/tcp-bulk.sh runs it):
 * <ul>
 * <li>userspace: our TCP and engine in this JVM, the kernel's TCP behind wireguard-go;</li>
 * <li>tun: the kernel's TCP on both ends, ours over a TUN interface and our engine;</li>
 * <li>wireguard-go: the kernel's TCP on both ends, wireguard-go on both ends.</li>
 * </ul>
 * "to module" is the server (the namespace) sending to the module, "from module" the other way.
 * Every transfer is the checked pseudo-random stream; the time runs from the sender's first byte
 * to the receiver closing after the last. Prints each run and the medians, in MiB/s.
 */
public final class TcpBulkBenchmark {
    private static final int WG_PORT = 51820;

    private record Result(String path, String setup, String direction, List<Double> mibPerSecond) {
        double median() {
            double[] v = mibPerSecond.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
    }

    /** One way of tunnelling, set up once for several transfers. */
    private interface Setup extends AutoCloseable {
        String name();

        /** The namespace's kernel sends {@code bytes}; MiB/s. */
        double toModule(long bytes, int port, long seed) throws Exception;

        /** The module sends {@code bytes} to the namespace's kernel; MiB/s. */
        double fromModule(long bytes, int port, long seed) throws Exception;

        @Override
        void close();
    }

    private TcpBulkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        long cleanMib = 64;
        long lossyMib = 4;
        boolean lossy = true;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--clean-mib" -> cleanMib = Long.parseLong(args[++i]);
                case "--lossy-mib" -> lossyMib = Long.parseLong(args[++i]);
                case "--no-lossy" -> lossy = false;
                case "--only" -> only.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--runs N --clean-mib N --lossy-mib N --no-lossy --only userspace|tun|wireguard-go)");
            }
        }
        System.setProperty("wgk.interop.wglog", "error");
        List<String> problems = Prerequisites.problems();
        if (!problems.isEmpty()) {
            System.err.println("cannot run: " + problems + "\nneeds root, /dev/net/tun and: " + Prerequisites.INSTALL);
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "# %d cores, %s %s; %d runs each, medians; clean %d MiB, lossy %d MiB per transfer%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                runs, cleanMib, lossyMib);
        List<Result> results = new ArrayList<>();
        List<LossyRelay.Settings> paths = new ArrayList<>(List.of(LossyRelay.Settings.CLEAN));
        if (lossy) {
            paths.add(LossyRelay.Settings.LOSSY);
        }
        for (LossyRelay.Settings path : paths) {
            boolean clean = path == LossyRelay.Settings.CLEAN;
            String pathName = clean ? "clean" : "lossy (" + path + ")";
            long bytes = (clean ? cleanMib : lossyMib) << 20;
            // All three are set up at once and take turns, run by run: on a machine others use
            // too, a busy minute then weighs on each of them alike.
            List<Setup> setups = new ArrayList<>();
            try {
                for (String setup : List.of("userspace", "tun", "wireguard-go")) {
                    if (only.isEmpty() || only.contains(setup)) {
                        setups.add(open(setup, clean ? null : path));
                    }
                }
                if (clean) {
                    for (Setup s : setups) {
                        s.toModule(bytes / 2, 7000, 1); // warm up the JIT on both code paths
                        s.fromModule(bytes / 2, 7001, 2);
                    }
                }
                List<List<Double>> to = new ArrayList<>();
                List<List<Double>> from = new ArrayList<>();
                for (int i = 0; i < setups.size(); i++) {
                    to.add(new ArrayList<>());
                    from.add(new ArrayList<>());
                }
                for (int r = 0; r < runs; r++) {
                    for (int i = 0; i < setups.size(); i++) {
                        Setup s = setups.get(i);
                        to.get(i).add(s.toModule(bytes, 7100 + 2 * r, 100 + r));
                        from.get(i).add(s.fromModule(bytes, 7101 + 2 * r, 200 + r));
                        System.out.printf(Locale.ROOT, "run %d %-40s %-13s to module %7.2f   from module %7.2f MiB/s%n", r + 1,
                                pathName, s.name(), to.get(i).get(r), from.get(i).get(r));
                    }
                }
                for (int i = 0; i < setups.size(); i++) {
                    results.add(new Result(pathName, setups.get(i).name(), "to module", to.get(i)));
                    results.add(new Result(pathName, setups.get(i).name(), "from module", from.get(i)));
                }
            } finally {
                for (Setup s : setups) {
                    s.close();
                }
            }
        }
        System.out.println();
        System.out.println("# medians, MiB/s");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-40s %-13s %-12s %8.2f   (runs %s)%n", r.path, r.setup, r.direction, r.median(),
                    r.mibPerSecond.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
        }
    }

    private static Setup open(String setup, LossyRelay.Settings lossy) throws Exception {
        return switch (setup) {
            case "userspace" -> new Userspace(lossy);
            case "tun" -> new Tun(lossy);
            default -> new WireGuardGo(lossy);
        };
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / 1048576.0 / (nanos / 1e9);
    }

    /** Starts a {@link TcpPeer} in {@code ns}. */
    private static NamespaceJvm peer(String ns, List<NamespaceJvm> all, String... args) {
        NamespaceJvm j = NamespaceJvm.start(ns, List.of("-Xmx128m", "-XX:+UseSerialGC"), TcpPeer.class, List.of(args));
        all.add(j);
        return j;
    }

    /** The sender's "sent ms" line: from its first byte to the receiver's close after the last. */
    private static double sentRate(NamespaceJvm sender, long bytes) {
        sender.awaitLine("the sender finished", Duration.ofMinutes(10), l -> l.startsWith("sent "));
        for (String l : sender.lines()) {
            if (l.startsWith("sent ")) {
                return mibPerSecond(bytes, Long.parseLong(l.substring(5)) * 1_000_000L);
            }
        }
        throw new IllegalStateException("no sent line: " + sender.diagnostics());
    }

    /** Reads to the end, checking every byte. */
    private static void receive(InputStream in, long seed, long bytes) throws IOException {
        PseudoRandomStream expected = new PseudoRandomStream(seed);
        byte[] buf = new byte[64 * 1024];
        byte[] want = new byte[buf.length];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            expected.next(want, 0, n);
            if (Arrays.mismatch(buf, 0, n, want, 0, n) >= 0) {
                throw new IllegalStateException("corrupt data at " + total);
            }
            total += n;
        }
        if (total != bytes) {
            throw new IllegalStateException("received " + total + " of " + bytes);
        }
    }

    /** Both directions through a TcpService (ours, or the OS's on a TUN interface), the kernel in {@code ns}. */
    private abstract static class ThroughService implements Setup {
        final List<NamespaceJvm> peers = new ArrayList<>();

        abstract TcpService tcp();

        abstract String ns();

        abstract String moduleAddress();

        abstract String serverAddress();

        @Override
        public double toModule(long bytes, int port, long seed) throws Exception {
            try (TcpListener l = tcp().listen(port, 4)) {
                NamespaceJvm sender = peer(ns(), peers, "send", moduleAddress(), String.valueOf(port), String.valueOf(seed),
                        String.valueOf(bytes));
                TcpConnection c = l.accept(Duration.ofSeconds(60));
                if (c == null) {
                    throw new IllegalStateException("no connection from the kernel: " + sender.diagnostics());
                }
                receive(c.input(), seed, bytes);
                c.close();
                return sentRate(sender, bytes);
            }
        }

        @Override
        public double fromModule(long bytes, int port, long seed) throws Exception {
            NamespaceJvm sink = peer(ns(), peers, "sink", serverAddress(), String.valueOf(port), String.valueOf(seed),
                    String.valueOf(bytes));
            sink.awaitLine("the kernel listens", Duration.ofSeconds(30), "ready"::equals);
            long start = System.nanoTime();
            try (TcpConnection c = tcp().connect(ModuleTunnel.address(serverAddress()), port, Duration.ofSeconds(30))) {
                PseudoRandomStream stream = new PseudoRandomStream(seed);
                byte[] buf = new byte[64 * 1024];
                for (long sent = 0; sent < bytes; sent += buf.length) {
                    int n = (int) Math.min(buf.length, bytes - sent);
                    stream.next(buf, 0, n);
                    c.output().write(buf, 0, n);
                }
                c.shutdownOutput();
                if (c.input().read() != -1) {
                    throw new IllegalStateException("the sink sent data");
                }
                String sender = TcpDiagnostics.sender(c);
                if (sender != null) {
                    // Why a transfer was slow: loss recovery and the model, per transfer.
                    System.out.println("#   our sender: " + sender);
                }
            }
            long nanos = System.nanoTime() - start;
            sink.awaitLine("the kernel received everything", Duration.ofSeconds(30), ("received " + bytes)::equals);
            return mibPerSecond(bytes, nanos);
        }

        void closePeers() {
            peers.forEach(NamespaceJvm::close);
        }
    }

    /** Our TCP in this JVM. */
    private static final class Userspace extends ThroughService {
        private final ModuleTunnel m;

        Userspace(LossyRelay.Settings lossy) throws IOException {
            m = lossy == null ? ModuleTunnel.open() : ModuleTunnel.openThroughRelay(lossy);
        }

        @Override
        public String name() {
            return "userspace";
        }

        @Override
        TcpService tcp() {
            return m.tcp;
        }

        @Override
        String ns() {
            return m.ns.name();
        }

        @Override
        String moduleAddress() {
            return m.moduleAddress;
        }

        @Override
        String serverAddress() {
            return m.serverAddress;
        }

        @Override
        public void close() {
            closePeers();
            m.close();
        }
    }

    /** The kernel's TCP over a TUN interface and our engine. */
    private static final class Tun extends ThroughService {
        private final Lab lab = Lab.open();
        private final Netns ns;
        private final String tunName;
        private final String moduleAddress;
        private final EngineService engine = new EngineService();
        private final Tunnel tunnel;
        private final TunBackend backend = new TunBackend();
        private final TunnelTcpService tcp = new TunnelTcpService(List.of(backend));
        private final AttachmentSink toOs = new AttachmentSink();
        private final LossyRelay relay;

        Tun(LossyRelay.Settings lossy) throws IOException {
            ns = lab.netns();
            tunName = lab.prefix() + "t";
            moduleAddress = ns.innerAddress(2);
            SecretKey key = engine.generatePrivateKey();
            WireGuardGoPeer wg = lab.wireguardGo(ns, WgKeys.generate(), WG_PORT, ns.innerAddress(1) + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(engine.publicKey(key).toBase64(), null, List.of(moduleAddress + "/32"), null, 0)));
            Endpoint endpoint = new Endpoint(ns.nsAddress(), WG_PORT);
            relay = lossy == null ? null : new LossyRelay(ns.rootAddress(), new InetSocketAddress(ns.nsAddress(), WG_PORT), lossy);
            if (relay != null) {
                endpoint = new Endpoint("127.0.0.1", relay.frontAddress().getPort());
            }
                        tunnel = engine.open(new TunnelConfig(tunName, key, 0, List.of(new PeerConfig(PublicKey.fromBase64(wg.publicKey()), null,
                    endpoint, List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 25))), toOs);
            key.destroy();
            NetifInfo info = new NetifInfo(1, tunName, NetifInfo.Kind.VIRTUAL, true, true, ModuleTunnel.address(moduleAddress),
                    ModuleTunnel.address("255.255.255.0"), ModuleTunnel.address("0.0.0.0"));
            toOs.set(backend.attach(info, new TunnelInput(tunnel)));
            Await.until("the tunnel answers a ping", Duration.ofSeconds(60),
                    () -> Shell.cmd("ping", "-n", "-q", "-I", tunName, "-c", "1", "-W", "1", ns.innerAddress(1)).tryRun().ok());
        }

        @Override
        public String name() {
            return "tun";
        }

        @Override
        TcpService tcp() {
            return tcp;
        }

        @Override
        String ns() {
            return ns.name();
        }

        @Override
        String moduleAddress() {
            return moduleAddress;
        }

        @Override
        String serverAddress() {
            return ns.innerAddress(1);
        }

        @Override
        public void close() {
            closePeers();
            tcp.close();
            backend.close();
            VirtualBackend.Attachment a = toOs.get();
            if (a != null) {
                a.close();
            }
            tunnel.close();
            engine.closeAll();
            if (relay != null) {
                try {
                    relay.close();
                } catch (IOException e) {
                    System.err.println("closing the relay: " + e);
                }
            }
            lab.close();
            Shell.cmd("ip", "link", "del", tunName).tryRun();
        }
    }

    /** wireguard-go in two namespaces, the kernel's TCP in both. */
    private static final class WireGuardGo implements Setup {
        private final Lab lab = Lab.open();
        private final Netns a;
        private final Netns b;
        private final String addressA;
        private final String addressB;
        private final LossyRelay relay;
        private final List<NamespaceJvm> peers = new ArrayList<>();

        WireGuardGo(LossyRelay.Settings lossy) throws IOException {
            a = lab.netns();
            b = lab.netns();
            WgKeys.KeyPair keysA = WgKeys.generate();
            WgKeys.KeyPair keysB = WgKeys.generate();
            String endpointOfB;
            int tunnelNet;
            LossyRelay r = null;
            if (lossy == null) {
                Netns.NsLink link = lab.connect(a, b);
                tunnelNet = link.subnet();
                endpointOfB = Subnets.outer(link.subnet(), 2) + ":" + WG_PORT;
            } else {
                tunnelNet = a.subnet();
                r = lab.own(new LossyRelay(a.rootAddress(), b.rootAddress(), new InetSocketAddress(b.nsAddress(), WG_PORT), lossy));
                endpointOfB = a.rootAddress() + ":" + r.frontAddress().getPort();
            }
            relay = r;
            addressA = Subnets.inner(tunnelNet, 101);
            addressB = Subnets.inner(tunnelNet, 102);
            lab.wireguardGo(a, keysA, WG_PORT, addressA + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(keysB.publicKey(), null, List.of(addressB + "/32"), endpointOfB, 25)));
            lab.wireguardGo(b, keysB, WG_PORT, addressB + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(keysA.publicKey(), null, List.of(addressA + "/32"), null, 0)));
            Await.until("wireguard-go A reaches B", Duration.ofSeconds(60),
                    () -> a.cmd("ping", "-n", "-q", "-c", "1", "-W", "1", addressB).tryRun().ok());
        }

        @Override
        public String name() {
            return "wireguard-go";
        }

        private double transfer(Netns from, Netns to, String toAddress, long bytes, int port, long seed) {
            NamespaceJvm sink = peer(to.name(), peers, "sink", toAddress, String.valueOf(port), String.valueOf(seed), String.valueOf(bytes));
            sink.awaitLine("the sink listens", Duration.ofSeconds(30), "ready"::equals);
            NamespaceJvm sender = peer(from.name(), peers, "send", toAddress, String.valueOf(port), String.valueOf(seed),
                    String.valueOf(bytes));
            double rate = sentRate(sender, bytes);
            sink.awaitLine("the sink received everything", Duration.ofSeconds(30), ("received " + bytes)::equals);
            return rate;
        }

        /** A plays the module, B the server. */
        @Override
        public double toModule(long bytes, int port, long seed) {
            return transfer(b, a, addressA, bytes, port, seed);
        }

        @Override
        public double fromModule(long bytes, int port, long seed) {
            return transfer(a, b, addressB, bytes, port, seed);
        }

        @Override
        public void close() {
            peers.forEach(NamespaceJvm::close);
            lab.close();
        }
    }
}
