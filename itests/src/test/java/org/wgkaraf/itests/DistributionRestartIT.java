package org.wgkaraf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The distribution as a user runs it: unpacked, bin/start, the guide's quick start through
 * bin/client (SSH, so Karaf's session scripts give the original's words), then restarts of the
 * whole container. Runs in the test namespace beside the server, like the Pax Exam tests.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DistributionRestartIT {
    private static Path karaf;
    private static int sshPort;
    /** Karaf in the foreground (bin/karaf server), so the test knows exactly when it has exited. */
    private static Process process;

    @BeforeClass
    public static void unpackAndStart() throws Exception {
        TestNetwork.ensure();
        Path dir = Path.of("target", "restart-" + ProcessHandle.current().pid()).toAbsolutePath();
        Files.createDirectories(dir);
        TestNetwork.must("tar", "xzf", System.getProperty("karaf.dist.file"), "-C", dir.toString());
        try (var s = Files.list(dir)) {
            karaf = s.filter(p -> p.getFileName().toString().startsWith("karaf-dist")).findFirst().orElseThrow();
        }
        sshPort = KarafTestSupport.freePort();
        Path shellCfg = karaf.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(shellCfg, Files.readString(shellCfg).replaceAll("(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort));
        Path mgmt = karaf.resolve("etc/org.apache.karaf.management.cfg");
        Files.writeString(mgmt, Files.readString(mgmt)
                .replaceAll("(?m)^rmiRegistryPort\\s*=.*$", "rmiRegistryPort = " + KarafTestSupport.freePort())
                .replaceAll("(?m)^rmiServerPort\\s*=.*$", "rmiServerPort = " + KarafTestSupport.freePort()));
        start();
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            bin("stop");
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static TestNetwork.Result bin(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(karaf.resolve("bin").resolve(args[0]).toString());
        argv.addAll(List.of(args).subList(1, args.length));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new TestNetwork.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new TestNetwork.Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TestNetwork.Result(-1, "interrupted");
        }
    }

    /** Runs the lines of a file through bin/client, as a user with a script would. */
    private static String client(String... lines) {
        try {
            Path f = Files.createTempFile(karaf, "cmds", ".txt");
            Files.writeString(f, String.join("\n", lines) + "\n");
            try {
                return bin("client", "-a", Integer.toString(sshPort), "-u", "karaf", "-p", "karaf", "-r", "3", "-d", "2",
                        "-b", "-f", f.toString()).output();
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String await(String command, Predicate<String> condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String out = client(command);
        while (!condition.test(out)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + command + "' did not show what was awaited within " + seconds + " s:\n" + out);
            }
            Thread.sleep(500);
            out = client(command);
        }
        return out;
    }

    private static void start() throws InterruptedException {
        try {
            ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(karaf.resolve("karaf.out").toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Karaf: " + e.getMessage(), e);
        }
        await("wireguard status", s -> s.contains("Connection status:"), 120);
    }

    /** bin/stop, then the process must be gone: a thread dump explains it if it is not. */
    private static void restart() throws InterruptedException {
        bin("stop");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            String dump = TestNetwork.run(List.of(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(process.pid()))).output();
            process.destroyForcibly();
            throw new AssertionError("Karaf did not exit within 60 s of bin/stop:\n" + dump);
        }
        start();
    }

    private static boolean up(String s) {
        return s.contains("Connection status:  started") && s.contains("Peer status:  up");
    }

    @Test
    public void a_theTunnelReturnsAfterARestartAndTheKeysNeverReachTheConfigFile() throws Exception {
        String out = client(QuickStartIT.QUICK_START.toArray(new String[0]));
        assertFalse(out, out.contains("Error"));
        await("wireguard status", DistributionRestartIT::up, 60);

        restart();
        await("wireguard status", DistributionRestartIT::up, 60);
        String list = client("config list network.wireguard");
        assertTrue(list, list.contains("172.16.10.20") && list.contains("wg.example.net"));

        // The keys are on disk in one place only: the owner-only secrets file. Not in ConfigAdmin's
        // store, not in etc/, not in a log.
        Path secrets = karaf.resolve("etc/network.wireguard.secrets");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        List<Path> holding = new ArrayList<>();
        try (var files = Files.walk(karaf)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (f.equals(secrets) || Files.size(f) > 4_000_000 || f.toString().endsWith(".jar")) {
                    continue;
                }
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.contains("kI2/adVWRseT2") || text.contains("JUvxtI5sFm9n")) {
                    holding.add(karaf.relativize(f));
                }
            }
        }
        assertEquals("files holding a key besides the secrets file", List.of(), holding);
    }

    @Test
    public void b_wireguardStopHoldsAcrossARestart() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        assertTrue(client("wireguard stop").contains("Stopping WireguardClient..."));
        restart();
        String status = client("wireguard status");
        assertTrue(status, status.startsWith("Connection status:  stopped"));
        assertTrue(client("wireguard start").contains("Starting WireguardClient..."));
        await("wireguard status", DistributionRestartIT::up, 60);
    }

    @Test
    public void c_anEditedConfigFileIsCheckedAndItsKeysLeaveTheFile() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        Path cfg = karaf.resolve("etc/network.wireguard.cfg");
        // The whole configuration written by hand, keys in clear, one value out of range.
        Files.write(cfg, List.of(
                "local_ip_address = 172.16.10.20",
                "local_ip_netmask = 255.240.0.0",
                "local_port = 11010",
                "local_private_key = kI2/adVWRseT2ZtYxn/5lTzQsPKK8F7YHWcIo3iwgHk=",
                "peer_endpoint = wg.example.net",
                "peer_port = 70000",
                "peer_public_key = r5xRjMaiu1apmP6YzRviL8djtBfjcWGnOd2mmHNOqm4=",
                "preshared_key = JUvxtI5sFm9n0zY6N4Z8rz/nSnww2DaeFKsOPGnC1WA=",
                "persistent_keepalive = 25"));
        String status = await("wireguard status", s -> s.contains("refused"), 30);
        assertTrue(status, status.contains("peer_port: 70000 is out of range"));
        assertTrue("the tunnel keeps its previous configuration:\n" + status, up(status));
        TestNetwork.waitFor(() -> {
            try {
                String text = Files.readString(cfg);
                return text.contains("(hidden)") && !text.contains("kI2/adVW") && !text.contains("JUvxtI5s");
            } catch (IOException e) {
                return false;
            }
        }, "the keys to leave etc/network.wireguard.cfg");

        Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^peer_port\\s*=.*$", "peer_port = 51820"));
        await("wireguard status", s -> !s.contains("refused") && up(s), 30);
    }
}
