package org.wgkaraf.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.wgkaraf.testsupport.Await;

/**
 * What the tunnel is for, with Karaf running as an ordinary user (nobody, no capability) on the
 * default userspace backend: the owner, on a host of the private network (the server's namespace,
 * 172.16.1.10 behind wireguard-go), reaches the module's console with OpenSSH's {@code ssh},
 * moves files both ways with {@code sftp} and {@code scp}, keeps an SSH session while the module
 * roams; and programs on the module reach the private network through the SOCKS5 proxy
 * ({@code curl --socks5}).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class TunnelAccessIT {
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static final String MODULE = TestNetwork.MODULE_PRIVATE_ADDRESS;
    private static KarafInstallation karaf;
    private static Path work;

    @BeforeClass
    public static void start() throws Exception {
        TestNetwork.ensure();
        for (String tool : List.of("ssh", "sftp", "scp", "curl", "setpriv")) {
            if (TestNetwork.run(List.of("sh", "-c", "command -v " + tool)).exitCode() != 0) {
                throw new IllegalStateException(tool + " is missing: apt-get install -y openssh-client curl util-linux");
            }
        }
        karaf = KarafInstallation.unpackForNobody(System.getProperty("karaf.dist.file"), "access");
        karaf.authorizeKey("karaf", KarafConsole.publicKey());
        work = Files.createDirectories(karaf.home.getParent().resolve("work"));
        karaf.runAsNobody();
        karaf.start("wireguard status", s -> s.contains("Connection status:"));
        String out = karaf.client(QuickStartIT.QUICK_START.toArray(new String[0]));
        assertTrue(out, !out.contains("Error"));
        karaf.await("wireguard status", s -> s.contains("Peer status:  up"), 60);
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        if (karaf != null) {
            karaf.close();
        }
    }

    /** A command run on the owner's host: the server's namespace, in the private network. */
    private static List<String> onOwnersHost(String... argv) {
        List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", TestNetwork.serverNamespace()));
        l.addAll(List.of(argv));
        return l;
    }

    private static List<String> sshOptions() throws IOException {
        return List.of("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20", "-i", KarafConsole.privateKey().toString());
    }

    private static TestNetwork.Result ownersHost(List<String> argv) {
        return TestNetwork.run(argv);
    }

    private static byte[] sha256(Path f) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
    }

    private static Path randomFile(String name, int mib) throws IOException {
        byte[] data = new byte[mib << 20];
        new Random(name.hashCode()).nextBytes(data);
        return Files.write(work.resolve(name), data);
    }

    @Test
    public void a_sshThroughTheTunnelRunsACommandAndKarafSeesTheOwnersAddress() throws Exception {
        long pid = karaf.pid();
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        assertTrue("Karaf runs as nobody:\n" + status, status.lines().anyMatch(l -> l.matches("Uid:\\s+65534\\s+65534.*")));
        assertTrue("with no capability:\n" + status, status.lines().anyMatch(l -> l.matches("CapEff:\\s+0+")));

        List<String> ssh = new ArrayList<>(List.of("ssh", "-p", "22"));
        ssh.addAll(sshOptions());
        ssh.addAll(List.of("karaf@" + MODULE, "wireguard:status"));
        TestNetwork.Result r = ownersHost(onOwnersHost(ssh.toArray(new String[0])));
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("Peer status:  up"));
        // The session sees itself in wireguard status: who, from the owner's address.
        assertTrue(r.output(), r.output().contains("ssh console: port 22, listening"));
        assertTrue(r.output(), r.output().contains("  session: karaf from " + TestNetwork.SERVER_PRIVATE_ADDRESS + ":"));
        String network = karaf.client("network status");
        assertTrue(network, network.matches("(?s).*\\nTCP: (none open|\\d+ open \\([A-Z_ 0-9,]+\\)), listening on 22, .*"));
        String log = karaf.log();
        assertTrue("Karaf's log names the owner's address, not loopback", log.contains("Session karaf@/" + TestNetwork.SERVER_PRIVATE_ADDRESS + ":"));
    }

    @Test
    public void b_sftpAndScpMoveFilesBothWaysByteForByte() throws Exception {
        Path up = randomFile("up.bin", 24);
        Path down = work.resolve("down.bin");
        Path batch = Files.writeString(work.resolve("sftp.batch"), String.join("\n",
                "put " + up + " data/sftp-up.bin",
                "get data/sftp-up.bin " + down) + "\n");
        List<String> sftp = new ArrayList<>(List.of("sftp", "-P", "22", "-b", batch.toString()));
        sftp.addAll(sshOptions());
        sftp.add("karaf@" + MODULE);
        TestNetwork.Result r = ownersHost(onOwnersHost(sftp.toArray(new String[0])));
        assertEquals(r.output(), 0, r.exitCode());
        assertArrayEquals("on the module", sha256(up), sha256(karaf.file("data/sftp-up.bin")));
        assertArrayEquals("back on the owner's host", sha256(up), sha256(down));

        Path scpUp = randomFile("scp.bin", 4);
        List<String> scp = new ArrayList<>(List.of("scp", "-P", "22"));
        scp.addAll(sshOptions());
        scp.addAll(List.of(scpUp.toString(), "karaf@" + MODULE + ":data/scp.bin"));
        r = ownersHost(onOwnersHost(scp.toArray(new String[0])));
        assertEquals(r.output(), 0, r.exitCode());
        assertArrayEquals(sha256(scpUp), sha256(karaf.file("data/scp.bin")));
    }

    @Test
    public void c_anSshSessionStaysOpenWhileTheModulesUplinkMoves() throws Exception {
        try (KarafConsole console = new KarafConsole(onOwnersHost(), "karaf", MODULE, 22)) {
            console.run("wireguard status", "Peer status:  up", ANSWER);
            TestNetwork.must("ip", "addr", "add", "10.219.0.3/24", "dev", TestNetwork.UPLINK);
            TestNetwork.must("ip", "addr", "del", TestNetwork.MODULE_UPLINK_ADDRESS + "/24", "dev", TestNetwork.UPLINK);
            if (TestNetwork.run(List.of("ip", "route", "show", "default")).output().isBlank()) {
                TestNetwork.must("ip", "route", "add", "default", "via", TestNetwork.SERVER_ADDRESS);
            }
            Await.until("the server sees the module at its new address", TestNetwork.WAIT,
                    () -> TestNetwork.serverSeesModuleAt().startsWith("10.219.0.3:"));
            assertTrue("the session answers after the move", console.answers(ANSWER));
            assertTrue(console.open());
        } finally {
            TestNetwork.restoreUplink();
        }
        // Roams back: the server keeps its session and learns the old address again from the next
        // packet (the 25 s keepalive at the latest).
        Await.until("the server sees the module back at " + TestNetwork.MODULE_UPLINK_ADDRESS, Duration.ofSeconds(60),
                () -> TestNetwork.serverSeesModuleAt().startsWith(TestNetwork.MODULE_UPLINK_ADDRESS + ":"));
    }

    /** A web server on the owner's host (172.16.1.10:8080) serving {@code www/}; closed by the caller. */
    private static Process webServer() throws IOException {
        Path served = Files.createDirectories(work.resolve("www"));
        Process web = new ProcessBuilder(onOwnersHost(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FileServer.class.getName(), served.toString(),
                TestNetwork.SERVER_PRIVATE_ADDRESS, "8080")).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(web.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("listening", lines.readLine());
        return web;
    }

    private static void stop(Process web) throws Exception {
        web.getOutputStream().close();
        if (!web.waitFor(10, TimeUnit.SECONDS)) {
            web.destroyForcibly();
        }
    }

    /** curl through the proxy on 127.0.0.1:1080, retried while the proxy does not listen yet (curl's exit 7). */
    private static TestNetwork.Result curlThroughProxy(String url, Path to, int maxSeconds) {
        return Await.every(Duration.ofMillis(200)).value("the proxy on 127.0.0.1:1080 takes curl's connection", Duration.ofSeconds(30),
                () -> TestNetwork.run(List.of("curl", "-sS", "--fail", "--max-time", Integer.toString(maxSeconds), "--socks5",
                        "127.0.0.1:1080", "-o", to.toString(), url)),
                r -> r.exitCode() != 7);
    }

    @Test
    public void d_curlOnTheModuleReachesAWebServerOfThePrivateNetworkThroughSocks() throws Exception {
        karaf.client("config set network.wireguard socks_port 1080");
        Files.createDirectories(work.resolve("www"));
        Path file = randomFile("www/file.bin", 6);
        Process web = webServer();
        try {
            Path got = work.resolve("got.bin");
            TestNetwork.Result r = curlThroughProxy("http://" + TestNetwork.SERVER_PRIVATE_ADDRESS + ":8080/file.bin", got, 30);
            assertEquals(r.output(), 0, r.exitCode());
            assertEquals(HexFormat.of().formatHex(sha256(file)), HexFormat.of().formatHex(sha256(got)));

            // Outside the tunnel's subnet: refused by the proxy (SOCKS reply 2, curl's exit 97).
            TestNetwork.Result outside = TestNetwork.run(List.of("curl", "-sS", "--max-time", "10", "--socks5", "127.0.0.1:1080",
                    "http://" + TestNetwork.SERVER_ADDRESS + ":8080/file.bin"));
            assertEquals(outside.output(), 97, outside.exitCode());
            String status = karaf.client("wireguard status");
            assertTrue(status, status.contains("socks5 proxy: 127.0.0.1:1080, listening"));
            assertTrue(status, status.matches("(?s).*\\n  connections: \\d+ open \\(at most 32\\), [1-9]\\d* accepted, [1-9]\\d* proxied.*"));
            assertTrue(status, status.contains("  refused: outside the tunnel's subnet 1"));
        } finally {
            stop(web);
            karaf.client("config set network.wireguard socks_port 0");
        }
    }

    @Test
    public void e_sshPortZeroTurnsTheConsoleOffAndAClosedPortAnswersAtOnce() throws Exception {
        karaf.client("config set network.wireguard ssh_port 0");
        try {
            List<String> ssh = new ArrayList<>(List.of("ssh", "-p", "22"));
            ssh.addAll(sshOptions());
            ssh.addAll(List.of("karaf@" + MODULE, "wireguard:status"));
            record Attempt(TestNetwork.Result result, long millis) {
            }
            Attempt refused = Await.every(Duration.ofMillis(200)).value("ssh to port 22 is refused", Duration.ofSeconds(30), () -> {
                long t0 = System.nanoTime();
                TestNetwork.Result r = ownersHost(onOwnersHost(ssh.toArray(new String[0])));
                return new Attempt(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }, a -> a.result().output().contains("Connection refused"));
            assertTrue("refused at once (a reset), not after a timeout: " + refused.millis() + " ms", refused.millis() < 5_000);
            assertNotEquals(0, refused.result().exitCode());
        } finally {
            karaf.client("config set network.wireguard ssh_port 22");
        }
    }
    /**
     * The owner's server restarts and forgets the session; the module still holds it and cannot
     * know until it sends. The first connection through the proxy afterwards still succeeds: the
     * SYN goes out on the dead session, the engine starts a handshake when nothing came back for
     * 15 s (Keepalive-Timeout + Rekey-Timeout), and a SYN retransmitted on the new session
     * connects, within the proxy's connect timeout.
     */
    @Test
    public void f_afterTheServerRestartsTheFirstConnectionThroughTheProxySucceeds() throws Exception {
        TestNetwork.stopServer();
        TestNetwork.startServer();
        assertEquals("a fresh server has no session", 0, TestNetwork.serverLatestHandshake());
        karaf.client("config set network.wireguard socks_port 1080");
        Files.createDirectories(work.resolve("www"));
        Path file = randomFile("www/after-restart.bin", 1);
        Process web = webServer();
        try {
            Path got = work.resolve("after-restart.bin");
            TestNetwork.Result r = curlThroughProxy("http://" + TestNetwork.SERVER_PRIVATE_ADDRESS + ":8080/after-restart.bin", got, 90);
            assertEquals(r.output(), 0, r.exitCode());
            assertArrayEquals(sha256(file), sha256(got));
            assertNotEquals("the module made a new handshake", 0, TestNetwork.serverLatestHandshake());
        } finally {
            stop(web);
            karaf.client("config set network.wireguard socks_port 0");
        }
    }
}
