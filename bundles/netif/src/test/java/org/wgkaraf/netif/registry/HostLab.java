package org.wgkaraf.netif.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A "host" namespace, where the registry under test runs, and a "router" namespace on the other
 * end of its links (veth pairs), both built by the test and named with a per-run prefix. Nothing
 * joins them to the root namespace. {@link #close()} removes both and the host's
 * /etc/netns/&lt;host&gt; (its resolv.conf, which {@code ip netns exec} mounts over /etc/resolv.conf);
 * a shutdown hook closes labs a crashed test left open.
 */
final class HostLab implements AutoCloseable {
    static final String RUN = "wgkr" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
    private static final AtomicInteger LABS = new AtomicInteger();
    private static final Set<HostLab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(HostLab::closeQuietly), "host-lab-cleanup"));
    }

    private final String host;
    private final String router;
    private final Path netnsEtc;
    private boolean closed;

    private HostLab(String prefix) {
        host = prefix + "h";
        router = prefix + "r";
        netnsEtc = Path.of("/etc/netns", host);
    }

    /** Creates both namespaces with loopback up; removes what it made if a step fails. */
    static HostLab open() {
        HostLab lab = new HostLab(RUN + LABS.getAndIncrement());
        OPEN.add(lab);
        try {
            Commands.run("ip", "netns", "add", lab.host);
            Commands.run("ip", "netns", "add", lab.router);
            lab.host("link", "set", "lo", "up");
            lab.router("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            lab.closeQuietly();
            throw e;
        }
        return lab;
    }

    String host() {
        return host;
    }

    /**
     * Joins the host's {@code hostIf} to the router's {@code routerIf}. The router's end gets
     * {@code routerCidr} and goes up; the host's end stays down and unaddressed.
     */
    void link(String hostIf, String routerIf, String routerCidr) {
        host("link", "add", hostIf, "type", "veth", "peer", "name", routerIf, "netns", router);
        router("addr", "add", routerCidr, "dev", routerIf);
        router("link", "set", routerIf, "up");
    }

    /** {@code ip} in the host namespace. */
    String host(String... ipArgs) {
        return ip(host, ipArgs);
    }

    /** {@code ip} in the router namespace. */
    String router(String... ipArgs) {
        return ip(router, ipArgs);
    }

    private static String ip(String ns, String... ipArgs) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(ipArgs));
        return Commands.run(argv.toArray(String[]::new));
    }

    /** Writes a sysctl of the host namespace, e.g. {@code net/ipv4/conf/uplink/promote_secondaries}. */
    void hostSysctl(String key, String value) {
        Commands.run("ip", "netns", "exec", host, "sh", "-c", "echo " + value + " > /proc/sys/" + key);
    }

    /** The host's own /etc/resolv.conf, as processes started by {@code ip netns exec} see it. */
    void hostResolvConf(String text) {
        try {
            Files.createDirectories(netnsEtc);
            Files.writeString(netnsEtc.resolve("resolv.conf"), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + netnsEtc + "/resolv.conf", e);
        }
    }

    /** The OS index of an interface of the host namespace. */
    int hostIndex(String ifName) {
        String line = host("-o", "link", "show", "dev", ifName).trim();
        return Integer.parseInt(line.substring(0, line.indexOf(':')));
    }

    /** A command line that runs {@code argv} inside the host namespace. */
    List<String> inHost(List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host));
        full.addAll(argv);
        return full;
    }

    /** Removes both namespaces (their links die with them) and the host's /etc/netns directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (String ns : List.of(host, router)) {
            Commands.Result r = Commands.tryRun("ip", "netns", "del", ns);
            if (!r.ok() && !r.stderr().contains("No such file")) {
                failures.add("`ip netns del " + ns + "`: " + r.stderr().strip());
            }
        }
        try {
            Files.deleteIfExists(netnsEtc.resolve("resolv.conf"));
            Files.deleteIfExists(netnsEtc);
            deleteIfEmpty(netnsEtc.getParent());
        } catch (IOException e) {
            failures.add("cannot remove " + netnsEtc + ": " + e);
        }
        OPEN.remove(this);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("cleaning up " + host + "/" + router + " failed: " + failures);
        }
    }

    /** /etc/netns may have been made for this lab; another user's entries keep it. */
    private static void deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // Someone else's namespaces live there.
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
        }
    }

    /** Namespaces and /etc/netns entries of this run still there: empty once every lab is closed. */
    static List<String> leftovers() {
        List<String> out = new ArrayList<>();
        for (String line : Commands.run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(RUN)) {
                out.add("namespace " + name);
            }
        }
        try (var entries = Files.list(Path.of("/etc/netns"))) {
            entries.filter(p -> p.getFileName().toString().startsWith(RUN)).forEach(p -> out.add("directory " + p));
        } catch (IOException e) {
            // No /etc/netns at all: nothing left there.
        }
        return out;
    }
}
