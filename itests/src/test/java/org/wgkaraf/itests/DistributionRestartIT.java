package org.wgkaraf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.wgkaraf.testsupport.Await;

/**
 * The distribution as a user runs it: unpacked, {@code bin/karaf}, the guide's quick start
 * through {@code bin/client} (no credentials typed: the distribution made its own password at
 * its first start), a console session over SSH, JMX as JConsole reads it, and restarts of the
 * whole container. Runs in the test namespace beside the server, like the Pax Exam tests.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DistributionRestartIT {
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static KarafInstallation karaf;

    @BeforeClass
    public static void unpackAndStart() throws Exception {
        TestNetwork.ensure();
        karaf = KarafInstallation.unpack(System.getProperty("karaf.dist.file"), "restart");
        karaf.authorizeKey("karaf", KarafConsole.publicKey());
        start();
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        if (karaf != null) {
            karaf.close();
        }
    }

    private static void start(String... args) throws InterruptedException {
        karaf.start("wireguard status", s -> s.contains("Connection status:"), args);
    }

    private static void restart(String... args) throws InterruptedException {
        karaf.stop();
        start(args);
    }

    private static String await(String command, java.util.function.Predicate<String> condition, long seconds)
            throws InterruptedException {
        return karaf.await(command, condition, seconds);
    }

    private static boolean up(String s) {
        return s.contains("Connection status:  started") && s.contains("Peer status:  up");
    }

    private static String tunnelInterface() {
        Matcher m = Pattern.compile("Interface#\\d+: (wg\\d+) ").matcher(karaf.client("network status"));
        return m.find() ? m.group(1) : null;
    }

    @Test
    public void a_theFirstBootRefreshesNothingAndMakesItsOwnPassword() throws Exception {
        String log = karaf.log();
        assertEquals("bundles stopped during the first boot (a refresh)", Set.of(), StockKarafIT.stoppedBundles(log, 0));
        Path users = karaf.file("etc/users.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(users)) {
            p.load(in);
        }
        String password = p.getProperty("karaf").split(",")[0].strip();
        assertTrue("a password of its own, not a shared one: " + password.length() + " characters",
                password.length() >= 32 && !password.equals("karaf"));
    }

    @Test
    public void b_theQuickStartEndsInTheCfgFileAndTheKeysInTheSecretsFileOnly() throws Exception {
        String out = karaf.client(QuickStartIT.QUICK_START.toArray(new String[0]));
        assertFalse(out, out.contains("Error"));
        await("wireguard status", DistributionRestartIT::up, 60);

        String cfg = Files.readString(karaf.file("etc/network.wireguard.cfg"));
        for (String expected : List.of("local_ip_address = 172.16.10.20", "local_ip_netmask = 255.240.0.0", "local_port = 11010",
                "local_private_key = (hidden)", "peer_endpoint = wg.example.net", "peer_port = 51820",
                "peer_public_key = r5xRjMaiu1apmP6YzRviL8djtBfjcWGnOd2mmHNOqm4=", "preshared_key = (hidden)",
                "persistent_keepalive = 25")) {
            assertTrue(expected + " in etc/network.wireguard.cfg:\n" + cfg, cfg.contains(expected));
        }
        assertTrue("the shipped comments are kept", cfg.contains("# network.wireguard: the module's WireGuard tunnel"));

        Path secrets = karaf.file("etc/network.wireguard.secrets");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        List<Path> holding = new ArrayList<>();
        try (var files = Files.walk(karaf.home)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (f.equals(secrets) || Files.size(f) > 4_000_000 || f.toString().endsWith(".jar")) {
                    continue;
                }
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.contains("kI2/adVWRseT2") || text.contains("JUvxtI5sFm9n")) {
                    holding.add(karaf.home.relativize(f));
                }
            }
        }
        assertEquals("files holding a key besides the secrets file", List.of(), holding);
    }

    @Test
    public void c_nothingAnswersOnThePublicSide() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        String pid = Long.toString(karaf.pid());
        List<String> exposed = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        // Every socket the Karaf JVM listens on, TCP and UDP, with its local address.
        for (String line : TestNetwork.must("ss", "-Hlnptu").split("\\R")) {
            if (!line.contains("pid=" + pid + ",") && !line.contains("pid=" + pid + ")")) {
                continue;
            }
            String[] cols = line.trim().split("\\s+");
            String local = cols[4];
            seen.add(cols[0] + " " + local);
            boolean loopback = local.startsWith("127.") || local.startsWith("[::ffff:127.") || local.startsWith("[::1]");
            boolean tunnel = cols[0].equals("udp") && local.endsWith(":11010");
            if (!loopback && !tunnel) {
                exposed.add(cols[0] + " " + local);
            }
        }
        assertTrue("Karaf's own sockets were found (its SSH port, the tunnel's UDP port): " + seen,
                seen.stream().anyMatch(x -> x.startsWith("tcp ") && x.contains("127.0.0.1") && x.endsWith(":" + karaf.sshPort)) && seen.stream().anyMatch(x -> x.endsWith(":11010")));
        assertEquals("sockets of Karaf reachable from the uplink, besides the tunnel's own UDP port", List.of(), exposed);
        TestNetwork.Result ssh = TestNetwork.run(List.of("ip", "netns", "exec", TestNetwork.serverNamespace(),
                "bash", "-c", "exec 3<>/dev/tcp/" + TestNetwork.MODULE_UPLINK_ADDRESS + "/" + karaf.sshPort));
        assertNotEquals("Karaf's SSH port from the server's side of the uplink", 0, ssh.exitCode());
    }

    @Test
    public void d_theTunnelReturnsAfterARestartAndAfterACleanStart() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        String name = tunnelInterface();
        restart();
        await("wireguard status", DistributionRestartIT::up, 60);
        String list = karaf.client("config list network.wireguard");
        assertTrue(list, list.contains("172.16.10.20") && list.contains("wg.example.net"));

        // A clean start forgets everything under data/ (ConfigAdmin's store among it): the
        // configuration comes back from etc/network.wireguard.cfg and the keys from the secrets file.
        restart("clean");
        await("wireguard status", DistributionRestartIT::up, 60);
        assertEquals("the same interface name", name, tunnelInterface());
    }

    @Test
    public void e_wireguardStopHoldsAcrossARestart() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        assertTrue(karaf.client("wireguard stop").contains("Stopping WireguardClient..."));
        restart();
        String status = karaf.client("wireguard status");
        assertTrue(status, status.startsWith("Connection status:  stopped"));
        assertTrue(karaf.client("wireguard start").contains("Starting WireguardClient..."));
        await("wireguard status", DistributionRestartIT::up, 60);
    }

    @Test
    public void f_anEditedConfigFileIsCheckedAndItsKeysLeaveTheFile() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        Path cfg = karaf.file("etc/network.wireguard.cfg");
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
        String status = await("wireguard status", s -> s.contains("refused configuration:"), 30);
        assertTrue(status, status.contains("peer_port: 70000 is out of range"));
        assertTrue("the tunnel keeps its previous configuration:\n" + status, up(status));
        String port = karaf.client("wireguard:get peer_port").strip();
        assertEquals("70000 (refused: 70000 is out of range: expected a UDP port from 1 to 65535; the tunnel runs with 51820)", port);
        Await.until("the keys leave etc/network.wireguard.cfg", TestNetwork.WAIT, () -> {
            try {
                String text = Files.readString(cfg);
                return text.contains("(hidden)") && !text.contains("kI2/adVW") && !text.contains("JUvxtI5s");
            } catch (IOException e) {
                return false;
            }
        });

        Files.writeString(cfg, Files.readString(cfg).replaceAll("(?m)^peer_port\\s*=.*$", "peer_port = 51820"));
        await("wireguard status", s -> !s.contains("refused configuration:") && up(s), 30);
    }

    /**
     * One console session, logged in with a key (etc/keys.properties), open through an uninstall
     * and an install of the feature without -r: it keeps answering, and no bundle of Karaf's is
     * stopped for a refresh. Karaf's own {@code config} is untouched by the distribution's alias.
     */
    @Test
    public void g_aConsoleSessionOutlivesUninstallingAndInstallingTheFeature() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        int mark = karaf.log().length();
        try (KarafConsole console = new KarafConsole("karaf", "127.0.0.1", karaf.sshPort)) {
            console.run("wireguard status", "Peer status:  up", ANSWER);
            console.type("feature:uninstall wgkaraf");
            assertTrue("the console answers after feature:uninstall", console.answers(ANSWER));
            console.type("feature:install wgkaraf");
            assertTrue("the console answers after feature:install", console.answers(ANSWER));
            // The alias goes to our words for network.wireguard, to Karaf's own config otherwise:
            // 'config' alone enters Karaf's config subshell, where 'list' is config:list.
            console.type("config");
            console.run("list \"(service.pid=network.wireguard)\"", "Pid:\\s+network.wireguard", ANSWER);
            console.type("exit");
            console.run("config get network.wireguard local_ip_address", "172.16.10.20", ANSWER);
        }
        Set<String> stopped = StockKarafIT.stoppedBundles(karaf.log(), mark);
        stopped.removeIf(b -> b.startsWith("org.wgkaraf."));
        assertEquals("bundles other than ours stopped by uninstalling and installing the feature", Set.of(), stopped);
        await("wireguard status", DistributionRestartIT::up, 60);
    }

    /** What JConsole, Jolokia or Karaf Decanter read: the tunnel's MBean over JMX's RMI connector. */
    @Test
    public void h_jmxShowsTheTunnel() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        Properties users = new Properties();
        try (InputStream in = Files.newInputStream(karaf.file("etc/users.properties"))) {
            users.load(in);
        }
        String password = users.getProperty("karaf").split(",")[0].strip();
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + karaf.rmiRegistryPort + "/karaf-root");
        try (JMXConnector c = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {"karaf", password}))) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            ObjectName name = new ObjectName("org.wgkaraf:type=WireGuardTunnel,name=network.wireguard");
            assertEquals("RUNNING", mbs.getAttribute(name, "State"));
            assertEquals(Boolean.TRUE, mbs.getAttribute(name, "PeerUp"));
            assertEquals(tunnelInterface(), mbs.getAttribute(name, "InterfaceName"));
            assertEquals(11010, mbs.getAttribute(name, "ListenPort"));
            assertEquals(TestNetwork.SERVER_ADDRESS + ":51820", mbs.getAttribute(name, "Endpoint"));
            long sent = (Long) mbs.getAttribute(name, "BytesSent");
            assertTrue("bytes sent: " + sent, sent > 0);
            long age = (Long) mbs.getAttribute(name, "SecondsSinceLatestHandshake");
            assertTrue("latest handshake " + age + " s ago", age >= 0 && age < 180);
        }
    }

    /**
     * A bundle handed over to deploy/ (the feature's copy uninstalled, the jar dropped there) is
     * hot-deployed: each rebuilt jar dropped on it updates that same bundle, its new version
     * visible, and the tunnel keeps running under the same name.
     */
    @Test
    public void i_aBundleHandedOverToDeployIsUpdatedByDroppingARebuiltJar() throws Exception {
        await("wireguard status", DistributionRestartIT::up, 60);
        String name = tunnelInterface();
        Path jar = Path.of(System.getProperty("wgkaraf.shell.jar"));
        Path deployed = karaf.file("deploy/shell.jar");
        karaf.client("bundle:uninstall org.wgkaraf.shell");
        Files.copy(jar, deployed);
        String before = await("bundle:list -s -t 0 | grep org.wgkaraf.shell", s -> s.contains("Active"), 60);
        await("wireguard status", DistributionRestartIT::up, 60);

        String rebuilt = "0.1.0.29990101" + String.format("%04d", (int) (System.nanoTime() % 10000));
        Path tmp = karaf.file("shell-rebuilt.jar");
        restamp(jar, tmp, rebuilt);
        Files.move(tmp, deployed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String after = await("bundle:list -s -t 0 | grep org.wgkaraf.shell", s -> s.contains(rebuilt) && s.contains("Active"), 60);
        assertEquals("one shell bundle, the same one, updated:\n" + after, idOf(before), idOf(after));
        assertEquals(1, after.lines().filter(l -> l.contains("org.wgkaraf.shell")).count());
        String status = await("wireguard status", DistributionRestartIT::up, 60);
        assertTrue(status, up(status));
        assertEquals(name, tunnelInterface());
    }

    private static String idOf(String bundleListLine) {
        return bundleListLine.strip().split("\\s*\\|\\s*")[0];
    }

    /** A copy of a bundle whose Bundle-Version is {@code version}: what a rebuild makes. */
    private static void restamp(Path jar, Path to, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream os = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(os, m)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }
}
