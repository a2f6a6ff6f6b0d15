package org.wgkaraf.netif.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.ModuleTunnel;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.netif.tun.AttachmentSink;
import org.wgkaraf.netif.tun.TunBackend;
import org.wgkaraf.netif.tun.TunnelInput;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.Netns;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.Shell;
import org.wgkaraf.testsupport.interop.Subnets;
import org.wgkaraf.testsupport.interop.WgKeys;
import org.wgkaraf.testsupport.interop.WireGuardGoPeer;

/**
 * iperf3 TCP through the TUN backend with offloads on and off, and through wireguard-go on both
 * ends, each direction, the three taking turns run by run (bench/tun-iperf3.sh runs it). The
 * "module" end is ours (the root namespace's TUN interface and this JVM's engine) or wireguard-go
 * A; the other end is wireguard-go in a namespace. Prints Mbit/s per run, the medians, the ratio
 * to wireguard-go, and the CPU the module end's process spent per GB carried (this JVM, or
 * wireguard-go A; from /proc/pid/stat, user and system time; the kernel's softirq work is in neither).
 * After each setup's two transfers of a run, 50 pings 10 ms apart give the RTT of the idle tunnel.
 */
public final class TunIperfBenchmark {
    private static final int WG_PORT = 51820;
    private static final Pattern BPS = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private record Sample(double mbps, double cpuSecondsPerGb) {
    }

    /** One way of tunnelling: where iperf3's client and server run, and whose CPU counts. */
    private abstract static class Setup implements AutoCloseable {
        final Lab lab = Lab.open();
        final String name;

        Setup(String name) {
            this.name = name;
        }

        abstract Shell.Command client(String... args);

        /** ping from the module end to the far end, through the tunnel. */
        abstract Shell.Command ping(String... args);

        abstract String serverNs();

        abstract String serverAddress();

        abstract long modulePid();

        @Override
        public void close() {
            lab.close();
        }
    }

    private static final class Tun extends Setup {
        private final EngineService engine = new EngineService();
        private final AttachmentSink toOs = new AttachmentSink();
        private final Tunnel tunnel;
        private final Netns ns;
        private final String tunName;
        private final String moduleAddress;

        Tun(boolean offload, boolean tso) throws IOException {
            super(!offload ? "tun plain" : tso ? "tun offload" : "tun no-tso");
            ns = lab.netns();
            tunName = lab.prefix() + "t";
            moduleAddress = ns.innerAddress(2);
            SecretKey key = engine.generatePrivateKey();
            WireGuardGoPeer wg = lab.wireguardGo(ns, WgKeys.generate(), WG_PORT, ns.innerAddress(1) + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(engine.publicKey(key).toBase64(), null, List.of(moduleAddress + "/32"), null, 0)));
            tunnel = engine.open(new TunnelConfig(tunName, key, 0, List.of(new PeerConfig(PublicKey.fromBase64(wg.publicKey()), null,
                    new Endpoint(ns.nsAddress(), WG_PORT), List.of(IpPrefix.parse(ns.innerAddress(0) + "/24")), 25))), toOs);
            key.destroy();
            NetifInfo info = new NetifInfo(1, tunName, NetifInfo.Kind.VIRTUAL, true, true, ModuleTunnel.address(moduleAddress),
                    ModuleTunnel.address("255.255.255.0"), ModuleTunnel.address("0.0.0.0"));
            System.setProperty(TunBackend.OFFLOAD_PROPERTY, String.valueOf(offload));
            System.setProperty(TunBackend.TSO_PROPERTY, String.valueOf(tso));
            toOs.set(new TunBackend().attach(info, new TunnelInput(tunnel)));
            System.out.println("# " + name + ": " + toOs.get());
            Await.until("the tunnel answers a ping", Duration.ofSeconds(60),
                    () -> Shell.cmd("ping", "-n", "-q", "-I", tunName, "-c", "1", "-W", "1", ns.innerAddress(1)).tryRun().ok());
        }

        @Override
        Shell.Command client(String... args) {
            List<String> argv = new ArrayList<>(List.of("iperf3", "-B", moduleAddress));
            argv.addAll(List.of(args));
            return Shell.cmd(argv);
        }

        @Override
        Shell.Command ping(String... args) {
            List<String> argv = new ArrayList<>(List.of("ping", "-I", tunName));
            argv.addAll(List.of(args));
            return Shell.cmd(argv);
        }

        @Override
        String serverNs() {
            return ns.name();
        }

        @Override
        String serverAddress() {
            return ns.innerAddress(1);
        }

        @Override
        long modulePid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public void close() {
            System.out.println("# " + name + " at the end: " + toOs.get());
            VirtualBackend.Attachment a = toOs.get();
            if (a != null) {
                a.close();
            }
            tunnel.close();
            engine.closeAll();
            super.close();
            Shell.cmd("ip", "link", "del", tunName).tryRun();
        }
    }

    private static final class WireGuardGo extends Setup {
        private final Netns a;
        private final Netns b;
        private final String addressB;
        private final WireGuardGoPeer wgA;

        WireGuardGo() {
            super("wireguard-go");
            a = lab.netns();
            b = lab.netns();
            WgKeys.KeyPair keysA = WgKeys.generate();
            WgKeys.KeyPair keysB = WgKeys.generate();
            Netns.NsLink link = lab.connect(a, b);
            String addressA = Subnets.inner(link.subnet(), 101);
            addressB = Subnets.inner(link.subnet(), 102);
            wgA = lab.wireguardGo(a, keysA, WG_PORT, addressA + "/24", List.of(new WireGuardGoPeer.PeerSpec(keysB.publicKey(), null,
                    List.of(addressB + "/32"), Subnets.outer(link.subnet(), 2) + ":" + WG_PORT, 25)));
            lab.wireguardGo(b, keysB, WG_PORT, addressB + "/24", List.of(
                    new WireGuardGoPeer.PeerSpec(keysA.publicKey(), null, List.of(addressA + "/32"), null, 0)));
            Await.until("wireguard-go A reaches B", Duration.ofSeconds(60),
                    () -> a.cmd("ping", "-n", "-q", "-c", "1", "-W", "1", addressB).tryRun().ok());
        }

        @Override
        Shell.Command client(String... args) {
            List<String> argv = new ArrayList<>(List.of("iperf3"));
            argv.addAll(List.of(args));
            return a.cmd(argv.toArray(String[]::new));
        }

        @Override
        Shell.Command ping(String... args) {
            List<String> argv = new ArrayList<>(List.of("ping"));
            argv.addAll(List.of(args));
            return a.cmd(argv.toArray(String[]::new));
        }

        @Override
        String serverNs() {
            return b.name();
        }

        @Override
        String serverAddress() {
            return addressB;
        }

        @Override
        long modulePid() {
            return wgA.pid();
        }
    }

    private TunIperfBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int seconds = 5;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--only" -> only.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--runs N --seconds N --only offload|plain|no-tso|wireguard-go)");
            }
        }
        System.setProperty("wgk.interop.wglog", "error");
        List<String> problems = Prerequisites.problems();
        if (!problems.isEmpty()) {
            System.err.println("cannot run: " + problems);
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "# %d cores, %s %s; iperf3 %d s per transfer, %d runs, medians%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"), seconds, runs);
        List<Setup> setups = new ArrayList<>();
        try {
            if (only.isEmpty() || only.contains("offload")) {
                setups.add(new Tun(true, true));
            }
            if (only.isEmpty() || only.contains("plain")) {
                setups.add(new Tun(false, false));
            }
            if (only.contains("no-tso")) {
                setups.add(new Tun(true, false));
            }
            if (only.isEmpty() || only.contains("wireguard-go")) {
                setups.add(new WireGuardGo());
            }
            for (Setup s : setups) { // warm-up, both directions
                transfer(s, Math.max(2, seconds / 2), false);
                transfer(s, Math.max(2, seconds / 2), true);
            }
            Map<String, List<Sample>> results = new LinkedHashMap<>();
            Map<String, List<Double>> rtts = new LinkedHashMap<>();
            for (int r = 0; r < runs; r++) {
                for (Setup s : setups) {
                    for (boolean toModule : new boolean[] {false, true}) {
                        Sample x = transfer(s, seconds, toModule);
                        String key = s.name + (toModule ? "|to module" : "|from module");
                        results.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
                        System.out.printf(Locale.ROOT, "run %d %-13s %-12s %8.1f Mbit/s  %6.2f CPU s/GB%n", r + 1, s.name,
                                toModule ? "to module" : "from module", x.mbps, x.cpuSecondsPerGb);
                    }
                    double rtt = rttMillis(s);
                    rtts.computeIfAbsent(s.name, k -> new ArrayList<>()).add(rtt);
                    System.out.printf(Locale.ROOT, "run %d %-13s ping RTT average %.3f ms%n", r + 1, s.name, rtt);
                }
            }
            System.out.println();
            System.out.println("# medians: Mbit/s (runs), CPU s/GB of the module end's process, ratio to wireguard-go");
            for (Map.Entry<String, List<Sample>> e : results.entrySet()) {
                String[] k = e.getKey().split("\\|");
                double mbps = median(e.getValue().stream().mapToDouble(Sample::mbps).toArray());
                double cpu = median(e.getValue().stream().mapToDouble(Sample::cpuSecondsPerGb).toArray());
                List<Sample> ref = results.get("wireguard-go|" + k[1]);
                String ratio = ref == null ? "" : String.format(Locale.ROOT, "%.2f x",
                        mbps / median(ref.stream().mapToDouble(Sample::mbps).toArray()));
                System.out.printf(Locale.ROOT, "%-13s %-12s %8.1f Mbit/s %6.2f CPU s/GB  %s  (runs %s)%n", k[0], k[1], mbps, cpu, ratio,
                        e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.0f", x.mbps)).toList());
            }
            for (Map.Entry<String, List<Double>> e : rtts.entrySet()) {
                System.out.printf(Locale.ROOT, "%-13s ping RTT, median of the runs' averages: %.3f ms  (runs %s)%n", e.getKey(),
                        median(e.getValue().stream().mapToDouble(Double::doubleValue).toArray()),
                        e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
            }
        } finally {
            for (Setup s : setups) {
                s.close();
            }
        }
    }

    /** One iperf3 transfer; {@code toModule}: the server (the far end) sends. */
    private static Sample transfer(Setup s, int seconds, boolean toModule) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", s.serverNs(), "iperf3", "-s", "-1", "-B", s.serverAddress())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Await.until("iperf3 listens in " + s.serverNs(), Duration.ofSeconds(10),
                    () -> Shell.cmd("ip", "netns", "exec", s.serverNs(), "ss", "-ltnH", "sport = :5201").run().stdout().contains("5201"));
            long cpuBefore = cpuTicks(s.modulePid());
            List<String> a = new ArrayList<>(List.of("-c", s.serverAddress(), "-t", String.valueOf(seconds), "-J"));
            if (toModule) {
                a.add("-R");
            }
            Shell.Result r = s.client(a.toArray(String[]::new)).timeout(Duration.ofSeconds(seconds + 30L)).run();
            long cpuTicks = cpuTicks(s.modulePid()) - cpuBefore;
            Matcher m = BPS.matcher(r.stdout());
            if (!m.find()) {
                throw new IllegalStateException("iperf3 printed no result: " + r);
            }
            long bytes = Long.parseLong(m.group(1));
            double mbps = Double.parseDouble(m.group(2)) / 1e6;
            return new Sample(mbps, cpuTicks / 100.0 / (bytes / 1e9));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static final Pattern RTT = Pattern.compile("= [0-9.]+/([0-9.]+)/");

    /** The average RTT of 50 pings, 10 ms apart, through an idle tunnel. */
    private static double rttMillis(Setup s) {
        Shell.Result r = s.ping("-n", "-q", "-c", "50", "-i", "0.01", "-W", "1", s.serverAddress()).timeout(Duration.ofSeconds(30)).run();
        Matcher m = RTT.matcher(r.stdout());
        if (!m.find()) {
            throw new IllegalStateException("ping printed no RTT: " + r);
        }
        return Double.parseDouble(m.group(1));
    }

    /** utime + stime of a process, in clock ticks (100 a second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
