package org.wgkaraf.access.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.access.LoopbackTcpService.ip;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wgkaraf.access.LoopbackTcpService;
import org.wgkaraf.access.OpenSsh;
import org.wgkaraf.access.TestSshd;
import org.wgkaraf.access.Threads;
import org.wgkaraf.access.Tools;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SshBridgeStatus;
import org.wgkaraf.testsupport.Await;

/**
 * The SSH bridge with OpenSSH's own clients on one side and a plain MINA SSHD server on the other,
 * through a TCP service over loopback that reports the owner's address 172.16.1.10.
 */
@Timeout(180)
class SshBridgeTest {
    private static final Duration CLIENT = Duration.ofSeconds(60);
    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private OpenSsh client;
    private TestSshd sshd;
    private LoopbackTcpService tcp;
    private SshBridgeComponent component;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        client = OpenSsh.create(dir);
        sshd = new TestSshd("A", Files.createDirectories(dir.resolve("a")), client.publicKey()).start();
        tcp = new LoopbackTcpService(ip("172.16.10.20"), ip("172.16.1.10"));
        component = new SshBridgeComponent(Map.of());
        component.bindTcpService(tcp);
        component.bindSshServer(sshd.server(), Map.of("service.id", 10L));
        awaitListening(22);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        if (component != null) {
            component.deactivate();
        }
        Threads.awaitNoneOfTheBundle();
        sshd.close();
        tcp.close();
    }

    @Test
    void aCommandRunsThroughTheBridgeAndTheServerSeesTheOwnersAddress() throws Exception {
        Tools.Result r = Tools.run(client.ssh(tcp.osPort(22), "whereami"), dir, CLIENT);

        assertEquals(0, r.exit(), r.toString());
        String out = r.outText().strip();
        assertTrue(out.startsWith("client /172.16.1.10:") && out.endsWith(" server A"), out);
        assertFalse(out.contains("127.0.0.1"), out);
        assertEquals(1, component.status().accepted());
    }

    @Test
    void passwordAuthenticationSeesTheOwnersAddress() throws Exception {
        Tools.Result r = Tools.run(client.sshWithPassword(tcp.osPort(22), "whereami"), client.askpass(TestSshd.PASSWORD),
                dir, CLIENT);

        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, sshd.passwordLogins().size());
        InetSocketAddress seen = (InetSocketAddress) sshd.passwordLogins().get(0);
        assertEquals(ip("172.16.1.10"), seen.getAddress());
    }

    @Test
    void aWrongPasswordIsRefusedByTheServer() throws Exception {
        Tools.Result r = Tools.run(client.sshWithPassword(tcp.osPort(22), "whereami"), client.askpass("wrong"), dir, CLIENT);

        assertEquals(255, r.exit(), r.toString());
        assertTrue(r.err().contains("Permission denied"), r.err());
        assertTrue(sshd.passwordLogins().isEmpty());
    }

    @Test
    void sftpPutsAndGetsTensOfMebibytesByteIdentical() throws Exception {
        Path local = dir.resolve("upload.bin");
        writeRandom(local, 24 * 1024 * 1024, 1);
        Path back = dir.resolve("download.bin");
        Path batch = dir.resolve("batch");
        Files.writeString(batch, "put " + local + " big.bin\nget big.bin " + back + "\n");

        Tools.Result r = Tools.run(client.sftp(tcp.osPort(22), batch), dir, CLIENT);

        assertEquals(0, r.exit(), r.toString());
        assertEquals(-1, Files.mismatch(local, sshd.files().resolve("big.bin")), "uploaded file differs");
        assertEquals(-1, Files.mismatch(local, back), "downloaded file differs");
    }

    @Test
    void scpCopiesAFileBothWays() throws Exception {
        Path local = dir.resolve("scp-up.bin");
        writeRandom(local, 3 * 1024 * 1024 + 17, 2);

        Tools.Result up = Tools.run(client.scp(tcp.osPort(22), local.toString(), ":copied.bin"), dir, CLIENT);
        assertEquals(0, up.exit(), up.toString());
        assertEquals(-1, Files.mismatch(local, sshd.files().resolve("copied.bin")));

        Path back = dir.resolve("scp-down.bin");
        Tools.Result down = Tools.run(client.scp(tcp.osPort(22), ":copied.bin", back.toString()), dir, CLIENT);
        assertEquals(0, down.exit(), down.toString());
        assertEquals(-1, Files.mismatch(local, back));
    }

    @Test
    void aClientThatStopsReadingHoldsTheProducerBackAndGetsEverythingLater() throws Exception {
        long total = 64L * 1024 * 1024;
        Process ssh = start(client.ssh(tcp.osPort(22), "produce " + total));

        // Nobody reads ssh's output: its pipe fills, it stops granting window, the producer waits.
        awaitProducerStalled();
        long produced = sshd.produced();
        assertTrue(produced < 8L * 1024 * 1024, "produced " + produced + " bytes for a client that does not read");
        TunnelIoSession session = component.bridge().sessions().get(0);
        assertTrue(session.peakQueuedBytes() < 4L * 1024 * 1024, "queued " + session.peakQueuedBytes());

        long received = 0;
        long wrong = -1;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = ssh.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n && wrong < 0; i++) {
                    if (buf[i] != TestSshd.pattern(received + i)) {
                        wrong = received + i;
                    }
                }
                received += n;
            }
        }
        assertTrue(ssh.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, ssh.exitValue());
        assertEquals(total, received);
        assertEquals(-1, wrong, "first wrong byte");
    }

    @Test
    void statusListsTheOpenSessionWithUserAndAddress() throws Exception {
        Process ssh = start(client.ssh(tcp.osPort(22), "cat"));
        Await.until("one authenticated session", SOON, () -> sessions().size() == 1 && sessions().get(0).user() != null,
                () -> sessions().toString());

        SshBridgeStatus.Session s = sessions().get(0);
        assertEquals(TestSshd.USER, s.user());
        assertEquals(ip("172.16.1.10"), s.remote().getAddress());
        assertEquals(ListenerState.LISTENING, component.status().state());
        assertEquals(22, component.status().port());
        assertNull(component.status().detail());

        ssh.getOutputStream().close();
        assertTrue(ssh.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS));
        Await.until("no session", SOON, () -> sessions().isEmpty());
    }

    @Test
    void otherKeysChangeNothingThePortMovesTheListenerAndZeroTurnsItOff() throws Exception {
        Process ssh = start(client.ssh(tcp.osPort(22), "cat"));
        awaitEcho(ssh, "first");
        int listens = tcp.listens();

        component.modified(Map.of("ssh_port", "22", "local_port", "11010", "persistent_keepalive", "25"));
        assertEquals(listens, tcp.listens(), "listened again for a change of other keys");
        awaitEcho(ssh, "after other keys");

        int oldOsPort = tcp.osPort(22);
        component.modified(Map.of("ssh_port", 2222));
        awaitListening(2222);
        assertEquals(java.util.Set.of(2222), tcp.listening());
        assertRefused(oldOsPort);
        awaitEcho(ssh, "after the move");
        Tools.Result r = Tools.run(client.ssh(tcp.osPort(2222), "whereami"), dir, CLIENT);
        assertEquals(0, r.exit(), r.toString());

        component.modified(Map.of("ssh_port", 0));
        Await.until("no listener", SOON, () -> tcp.listening().isEmpty());
        assertEquals(ListenerState.OFF, component.status().state());
        assertTrue(ssh.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS), "the session stayed open after ssh_port 0");
        Await.until("no session", SOON, () -> sessions().isEmpty());
    }

    @Test
    void anInvalidPortKeepsTheListenerAndWarnsOnce() throws Exception {
        String bad = "twenty-two-" + System.nanoTime();
        int listens = tcp.listens();

        component.modified(Map.of("ssh_port", bad));
        component.modified(Map.of("ssh_port", bad, "local_port", "1"));

        assertEquals(listens, tcp.listens());
        assertEquals(java.util.Set.of(22), tcp.listening());
        List<String> warnings = org.wgkaraf.access.LogFile.linesWith(bad);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).contains("ssh_port")
                && warnings.get(0).contains("is not a number") && warnings.get(0).contains("stays on port 22"),
                warnings.get(0));
    }

    @Test
    void karafRebuildingItsServerMovesNewConnectionsToTheNewOne() throws Exception {
        Process ssh = start(client.ssh(tcp.osPort(22), "cat"));
        awaitEcho(ssh, "on A");

        // What Karaf's ssh bundle does on a change of org.apache.karaf.shell: stop the server,
        // register a new one, and leave the stopped one registered.
        sshd.server().stop(true);
        assertTrue(ssh.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS), "a session of the stopped server stayed open");
        try (TestSshd b = new TestSshd("B", Files.createDirectories(dir.resolve("b")), client.publicKey())) {
            component.bindSshServer(b.server(), Map.of("service.id", 11L));
            b.start();

            Tools.Result r = Tools.run(client.ssh(tcp.osPort(22), "whereami"), dir, CLIENT);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.outText().strip().endsWith("server B"), r.outText());

            component.unbindSshServer(b.server(), Map.of("service.id", 11L));
            Await.until("no listener without an open server", SOON, () -> tcp.listening().isEmpty());
            SshBridgeStatus status = component.status();
            assertEquals(ListenerState.WAITING, status.state());
            assertTrue(status.detail().contains("SSH server is not running"), status.detail());
        }
    }

    @Test
    void aServerThatHasNotStartedIsWaitedForAndSaidSo() throws Exception {
        component.unbindSshServer(sshd.server(), Map.of("service.id", 10L));
        try (TestSshd c = new TestSshd("C", Files.createDirectories(dir.resolve("c")), client.publicKey())) {
            // Karaf registers its server before starting it; a start that fails leaves it so.
            component.bindSshServer(c.server(), Map.of("service.id", 12L));
            awaitListening(22);
            assertTrue(component.status().detail().contains("has not started"), component.status().detail());
            try (Socket s = new Socket(LoopbackTcpService.LOOPBACK, tcp.osPort(22))) {
                s.setSoTimeout((int) SOON.toMillis());
                assertEquals(-1, s.getInputStream().read());
            }
            assertEquals(1, component.status().refused());

            c.start();
            assertNull(component.status().detail());
            Tools.Result r = Tools.run(client.ssh(tcp.osPort(22), "whereami"), dir, CLIENT);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.outText().strip().endsWith("server C"), r.outText());
        }
    }

    @Test
    void theTcpServiceGoingAwayClosesTheListenerAndItsSessionsAndANewOneIsUsed() throws Exception {
        Process ssh = start(client.ssh(tcp.osPort(22), "cat"));
        awaitEcho(ssh, "before the swap");

        try (LoopbackTcpService second = new LoopbackTcpService(ip("172.16.10.20"), ip("172.16.1.11"))) {
            // SCR's order for a greedy dynamic 0..1 reference: bind the new one, then unbind the old.
            component.bindTcpService(second);
            component.unbindTcpService(tcp);

            assertTrue(ssh.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS), "a session over the old TCP service stayed");
            assertTrue(tcp.listening().isEmpty());
            Await.until("listening through the new service", SOON, () -> second.osPort(22) > 0);
            Tools.Result r = Tools.run(client.ssh(second.osPort(22), "whereami"), dir, CLIENT);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.outText().startsWith("client /172.16.1.11:"), r.outText());

            component.unbindTcpService(second);
            Await.until("no listener", SOON, () -> second.listening().isEmpty());
            assertEquals(ListenerState.WAITING, component.status().state());
            assertTrue(component.status().detail().contains("TcpService"), component.status().detail());
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAtOnceAndCounted() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < Bridge.MAX_CONNECTIONS; i++) {
                Socket s = new Socket(LoopbackTcpService.LOOPBACK, tcp.osPort(22));
                held.add(s);
                assertTrue(readLine(s).startsWith("SSH-2.0-"), "connection " + i + " got no identification");
            }
            try (Socket extra = new Socket(LoopbackTcpService.LOOPBACK, tcp.osPort(22))) {
                extra.setSoTimeout((int) SOON.toMillis());
                assertEquals(-1, extra.getInputStream().read(), "the connection over the limit was served");
            }
            assertEquals(1, component.status().refused());
            assertEquals(Bridge.MAX_CONNECTIONS, component.status().accepted());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Await.until("the held sessions closed", SOON, () -> sessions().isEmpty());
    }

    @Test
    void deactivatingClosesSessionsAndLeavesNoThreadOrListener() throws Exception {
        Process ssh = start(client.ssh(tcp.osPort(22), "cat"));
        awaitEcho(ssh, "before deactivation");
        assertFalse(Threads.named("wgkaraf-ssh").isEmpty());

        component.deactivate();
        component = null;

        assertTrue(ssh.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS), "the session stayed open");
        assertTrue(tcp.listening().isEmpty());
        Threads.awaitNoneOfTheBundle();
        Await.until("the connection closed", SOON, () -> tcp.openConnections() == 0);
    }

    private List<SshBridgeStatus.Session> sessions() {
        return component.status().sessions();
    }

    private void awaitListening(int port) {
        Await.until("listening on port " + port, SOON,
                () -> tcp.osPort(port) > 0 && component.status().state() == ListenerState.LISTENING
                        && component.status().port() == port,
                () -> component.status().toString());
    }

    private void awaitProducerStalled() {
        long[] seen = {-1, 0};
        Await.until("the producer stalled", Duration.ofSeconds(60), () -> {
            if (!sshd.producerBlocked() || sshd.produced() != seen[0]) {
                seen[0] = sshd.producerBlocked() ? sshd.produced() : -1;
                seen[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - seen[1] > 500_000_000L;
        }, () -> "produced " + sshd.produced());
    }

    private Process start(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "ssh-stderr.txt"))).start();
        processes.add(p);
        return p;
    }

    /** Writes a line to {@code cat} on the server and waits for it to come back. */
    private static void awaitEcho(Process ssh, String text) throws IOException {
        ssh.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        ssh.getOutputStream().flush();
        InputStream in = ssh.getInputStream();
        StringBuilder line = new StringBuilder();
        long deadline = System.nanoTime() + CLIENT.toNanos();
        while (System.nanoTime() < deadline) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("the session ended before echoing '" + text + "'");
            }
            if (c == '\n') {
                assertEquals(text, line.toString());
                return;
            }
            line.append((char) c);
        }
        throw new AssertionError("no echo of '" + text + "'");
    }

    private static String readLine(Socket s) throws IOException {
        s.setSoTimeout((int) SOON.toMillis());
        StringBuilder b = new StringBuilder();
        InputStream in = s.getInputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.append((char) c);
        }
        return b.toString();
    }

    private static void assertRefused(int osPort) {
        assertThrows(IOException.class, () -> new Socket(LoopbackTcpService.LOOPBACK, osPort).close(),
                "port " + osPort + " still accepts connections");
    }

    private static void writeRandom(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
    }
}
