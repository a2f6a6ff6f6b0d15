package org.wgkaraf.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.wgkaraf.testsupport.Await;

/**
 * The network of the Karaf tests, inside the namespace the test JVM runs in (see
 * src/test/netns/bin/java): the module's uplink {@value #UPLINK} (10.219.0.1/24, default route via
 * the server) and, in a namespace beside it, the guide's WireGuard server: wireguard-go with the
 * quick start's server key, listening on 10.219.0.2:51820 (wg.example.net in the hosts file),
 * holding 172.16.1.10/12 in the private network.
 *
 * <p>Used from the driver JVM (to build it before Karaf boots) and from inside the container (to
 * take the uplink away, move it, read {@code wg show}): plain {@code ip} and {@code wg} commands.
 */
public final class TestNetwork {
    public static final String UPLINK = "wkup0";
    public static final String MODULE_UPLINK_ADDRESS = "10.219.0.1";
    public static final String SERVER_ADDRESS = "10.219.0.2";
    public static final String SERVER_PRIVATE_ADDRESS = "172.16.1.10";
    public static final String MODULE_PRIVATE_ADDRESS = "172.16.10.20";
    /**
     * wireguard-go's interface: named per run, because its control socket
     * (/var/run/wireguard/NAME.sock) is shared by every namespace of the machine.
     */
    public static final String SERVER_IF = "ws" + System.getenv().getOrDefault("WGKIT_NETNS", "wgkit0").replace("wgkit", "");

    // The guide's quick start keys (vpn.rst): documentation values, usable only in this test.
    public static final String SERVER_PRIVATE_KEY = "SGfeKo9cmhIJ5tpDOjOimnEKi3M+3mJ21+jJ7otllHI=";
    public static final String MODULE_PUBLIC_KEY = "hi0SNx8JJVLWIOuIfeQW5Ea5SK/41g4DeXJ2eJR9R3Y=";
    public static final String PRESHARED_KEY = "JUvxtI5sFm9n0zY6N4Z8rz/nSnww2DaeFKsOPGnC1WA=";
    /** How long the tests wait for the network, wireguard-go or the server's view of the module. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private TestNetwork() {
    }

    /** The namespace of the test JVM and its Karaf. */
    public static String testNamespace() {
        String ns = System.getenv("WGKIT_NETNS");
        if (ns == null) {
            throw new IllegalStateException("not in the test namespace: run through Maven (failsafe starts the JVM with src/test/netns/bin/java)");
        }
        return ns;
    }

    public static String serverNamespace() {
        return testNamespace() + "s";
    }

    /**
     * Builds the network, or puts it back as {@link #build} leaves it when an earlier test class
     * of this JVM built it: uplink on 10.219.0.1 with the default route, a fresh server.
     */
    public static synchronized void ensure() {
        if (run(List.of("ip", "netns", "pids", serverNamespace())).exitCode() != 0) {
            build();
            return;
        }
        restoreUplink();
        stopServer();
        startServer();
    }

    /** The uplink back on 10.219.0.1 with the default route; the server keeps running, and its session. */
    public static synchronized void restoreUplink() {
        must("ip", "addr", "flush", "dev", UPLINK);
        must("ip", "addr", "add", MODULE_UPLINK_ADDRESS + "/24", "dev", UPLINK);
        run(List.of("ip", "route", "replace", "default", "via", SERVER_ADDRESS));
    }

    /** Builds the uplink and starts the server. */
    private static void build() {
        for (String cmd : List.of("wireguard-go", "wg", "ip", "ping")) {
            if (run(List.of("sh", "-c", "command -v " + cmd)).exitCode() != 0) {
                throw new IllegalStateException(cmd + " is missing: apt-get install -y wireguard-go wireguard-tools iproute2 iputils-ping");
            }
        }
        String srv = serverNamespace();
        must("ip", "netns", "add", srv);
        must("ip", "-n", srv, "link", "set", "lo", "up");
        must("ip", "link", "add", UPLINK, "type", "veth", "peer", "name", "wksrv0");
        must("ip", "link", "set", "wksrv0", "netns", srv);
        must("sysctl", "-qw", "net.ipv4.conf.all.promote_secondaries=1");
        must("ip", "addr", "add", MODULE_UPLINK_ADDRESS + "/24", "dev", UPLINK);
        must("ip", "link", "set", UPLINK, "up");
        must("ip", "-n", srv, "addr", "add", SERVER_ADDRESS + "/24", "dev", "wksrv0");
        must("ip", "-n", srv, "link", "set", "wksrv0", "up");
        must("ip", "route", "add", "default", "via", SERVER_ADDRESS);
        startServer();
    }

    /** Starts wireguard-go in the server namespace (again after {@link #stopServer}). */
    public static void startServer() {
        String srv = serverNamespace();
        try {
            Path dir = Files.createTempDirectory("wgkit", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path key = dir.resolve("server.key");
            Path psk = dir.resolve("psk");
            Files.writeString(key, SERVER_PRIVATE_KEY + "\n");
            Files.writeString(psk, PRESHARED_KEY + "\n");
            new ProcessBuilder("ip", "netns", "exec", srv, "wireguard-go", SERVER_IF)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("wireguard-go.log").toFile())
                    .start();
            Await.until("wireguard-go's interface exists", WAIT,
                    () -> run(List.of("ip", "-n", srv, "link", "show", SERVER_IF)).exitCode() == 0);
            must("ip", "netns", "exec", srv, "wg", "set", SERVER_IF, "private-key", key.toString(), "listen-port", "51820",
                    "peer", MODULE_PUBLIC_KEY, "preshared-key", psk.toString(), "allowed-ips", MODULE_PRIVATE_ADDRESS + "/32",
                    "persistent-keepalive", "25");
            must("ip", "-n", srv, "addr", "add", SERVER_PRIVATE_ADDRESS + "/12", "dev", SERVER_IF);
            must("ip", "-n", srv, "link", "set", SERVER_IF, "mtu", "1420", "up");
            Files.delete(key);
            Files.delete(psk);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start wireguard-go: " + e.getMessage(), e);
        }
    }

    public static void stopServer() {
        String srv = serverNamespace();
        // Only the wireguard-go of this namespace: a namespace does not scope process names, and
        // "pkill wireguard-go" also stopped the servers of other test runs on the same machine.
        for (String pid : serverPids()) {
            run(List.of("kill", "-TERM", pid));
        }
        // Until the process is gone, not only its interface: wireguard-go closes the TUN device
        // before its UDP socket, and a server started in that gap cannot bind 51820 ("Address
        // already in use", seen in CI).
        Await.until("wireguard-go stopped", WAIT, () -> serverPids().isEmpty()
                && run(List.of("ip", "-n", srv, "link", "show", SERVER_IF)).exitCode() != 0);
    }

    /** The wireguard-go processes of the server namespace. */
    private static List<String> serverPids() {
        List<String> pids = new ArrayList<>();
        for (String pid : run(List.of("ip", "netns", "pids", serverNamespace())).output().split("\\s+")) {
            try {
                // A zombie has closed its sockets already; one left unreaped does not count.
                if (!pid.isBlank() && Files.readString(Path.of("/proc", pid, "comm")).strip().equals("wireguard-go")
                        && !Files.readString(Path.of("/proc", pid, "stat")).replaceFirst("^.*\\) ", "").startsWith("Z")) {
                    pids.add(pid);
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
        return pids;
    }

    /** The latest handshake (Unix seconds) wireguard-go has with the module, 0 for none. */
    public static long serverLatestHandshake() {
        String out = must("ip", "netns", "exec", serverNamespace(), "wg", "show", SERVER_IF, "latest-handshakes");
        String[] f = out.strip().split("\\s+");
        return f.length >= 2 ? Long.parseLong(f[1]) : 0;
    }

    /** The module's endpoint as wireguard-go sees it. */
    public static String serverSeesModuleAt() {
        String out = must("ip", "netns", "exec", serverNamespace(), "wg", "show", SERVER_IF, "endpoints");
        String[] f = out.strip().split("\\s+");
        return f.length >= 2 ? f[1] : "(none)";
    }

    /** Pings from the server's side; returns the replies received. */
    public static int pingFromServer(String destination, int count) {
        Result r = run(List.of("ip", "netns", "exec", serverNamespace(), "ping", "-n", "-c", Integer.toString(count), "-W", "2",
                "-i", "0.3", destination));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(r.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs a command with {@code input} on its standard input; its output, or an exception. */
    public static String withInput(String input, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + argv);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public static String must(String... argv) {
        Result r = run(List.of(argv));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r.output();
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
