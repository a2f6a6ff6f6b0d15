package org.wgkaraf.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.tun.PseudoRandomStream;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.NamespaceJvm;
import org.wgkaraf.testsupport.interop.Prerequisites;

/**
 * Our TCP against the Linux kernel's: the Java engine and the userspace layer in this JVM, the
 * kernel's TCP behind wireguard-go in a namespace. Connections both ways, tens of MiB each way
 * checked byte for byte, 50 at once, a closed port, half close both ways, an uplink move.
 */
class UserspaceTcpInteropIT {
    private static final long BULK = 32L << 20;
    private ModuleTunnel m;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    @BeforeEach
    void open() throws IOException {
        m = ModuleTunnel.open();
    }

    @AfterEach
    void close() {
        if (m != null) {
            m.close();
        }
    }

    @Test
    void theKernelConnectsToAListenerAndSendsTensOfMebibytesIntact() throws Exception {
        long seed = System.nanoTime();
        try (TcpListener listener = m.tcp.listen(5001, 4)) {
            NamespaceJvm sender = m.kernelPeer("send", m.moduleAddress, "5001", String.valueOf(seed), String.valueOf(BULK));
            TcpConnection c = listener.accept(Duration.ofSeconds(30));
            assertNotNull(c, "the kernel's connection was accepted\n" + sender.diagnostics() + "\n" + m.diagnostics());
            assertEquals(m.serverAddress, c.remote().getAddress().getHostAddress());
            long start = System.nanoTime();
            long n = Streams.receiveAndCheck(c.input(), new PseudoRandomStream(seed), m::diagnostics);
            double seconds = (System.nanoTime() - start) / 1e9;
            c.close();
            assertEquals(BULK, n, "bytes received");
            sender.awaitLine("the kernel saw every byte taken", Duration.ofSeconds(30), l -> l.startsWith("sent"));
            System.out.printf("kernel -> userspace TCP: %d MiB in %.2f s = %.1f MiB/s%n", n >> 20, seconds, n / 1048576.0 / seconds);
        }
    }

    @Test
    void tcpServiceConnectsToAKernelListenerAndSendsTensOfMebibytesIntact() throws Exception {
        long seed = System.nanoTime();
        NamespaceJvm sink = m.kernelPeer("sink", m.serverAddress, "5002", String.valueOf(seed), String.valueOf(BULK));
        sink.awaitLine("the kernel listens", Duration.ofSeconds(30), "ready"::equals);
        try (TcpConnection c = m.tcp.connect(m.server(), 5002, Duration.ofSeconds(10))) {
            long start = System.nanoTime();
            Streams.send(c.output(), new PseudoRandomStream(seed), BULK);
            c.shutdownOutput();
            assertEquals(-1, c.input().read(), "the kernel closes after reading everything");
            double seconds = (System.nanoTime() - start) / 1e9;
            sink.awaitLine("the kernel received every byte, in order", Duration.ofSeconds(30), ("received " + BULK)::equals);
            System.out.printf("userspace TCP -> kernel: %d MiB in %.2f s = %.1f MiB/s%n", BULK >> 20, seconds, BULK / 1048576.0 / seconds);
        }
    }

    @Test
    void fiftyConcurrentConnectionsToAKernelEchoServerEachGetTheirBytesBack() throws Exception {
        NamespaceJvm echo = m.kernelPeer("echo", m.serverAddress, "5003");
        echo.awaitLine("the kernel's echo server listens", Duration.ofSeconds(30), "ready"::equals);
        List<TcpConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                connections.add(m.tcp.connect(m.server(), 5003, Duration.ofSeconds(10)));
            }
            assertEquals(50, m.tcp.status().connections().get("ESTABLISHED"), "50 open at once: " + m.tcp.status());
            ExecutorService pool = Executors.newFixedThreadPool(100);
            try {
                List<Future<Long>> results = new ArrayList<>();
                for (int i = 0; i < connections.size(); i++) {
                    TcpConnection c = connections.get(i);
                    long seed = 1000 + i;
                    pool.submit(() -> {
                        Streams.send(c.output(), new PseudoRandomStream(seed), 1 << 20);
                        c.shutdownOutput();
                        return null;
                    });
                    results.add(pool.submit(() -> Streams.receiveAndCheck(c.input(), new PseudoRandomStream(seed), m::diagnostics)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                for (Future<Long> r : results) {
                    try {
                        assertEquals(1L << 20, r.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), "echoed bytes");
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new AssertionError("not every echo came back within 120 s\n" + m.diagnostics() + "\n" + m.kernelSockets()
                                + "\n" + ModuleTunnel.threadDump());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            connections.forEach(TcpConnection::close);
        }
    }

    @Test
    void aClosedPortAnswersTheKernelWithAResetAtOnce() {
        long before = m.ip.drops().get(DropReason.TCP_NO_LISTENER);
        NamespaceJvm client = m.kernelPeer("connect", m.moduleAddress, "5999");
        client.awaitLine("the kernel's connect ended", Duration.ofSeconds(30), l -> !l.isBlank());
        String line = client.lines().get(0);
        assertTrue(line.startsWith("refused "), "connection refused, not " + line);
        long millis = Long.parseLong(line.substring("refused ".length()));
        assertTrue(millis < 1000, "refused at once (no SYN retries): " + millis + " ms");
        assertTrue(m.ip.drops().get(DropReason.TCP_NO_LISTENER) > before, "counted");
    }

    @Test
    void connectingToAClosedKernelPortFailsAtOnce() {
        long start = System.nanoTime();
        ConnectException e = assertThrows(ConnectException.class, () -> m.tcp.connect(m.server(), 5998, Duration.ofSeconds(10)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "refused, not timed out: " + e.getMessage());
    }

    @Test
    void weCloseOurSideFirstAndStillReadTheKernelsAnswer() throws Exception {
        NamespaceJvm server = m.kernelPeer("halfclose-server", m.serverAddress, "5004");
        server.awaitLine("ready", Duration.ofSeconds(30), "ready"::equals);
        try (TcpConnection c = m.tcp.connect(m.server(), 5004, Duration.ofSeconds(10))) {
            c.output().write("from the module".getBytes(StandardCharsets.UTF_8));
            c.shutdownOutput();
            server.awaitLine("the kernel read our FIN after our 15 bytes", Duration.ofSeconds(10), "eof 15"::equals);
            assertEquals("after your FIN", new String(c.input().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theKernelClosesItsSideFirstAndStillReadsOurAnswer() throws Exception {
        try (TcpListener listener = m.tcp.listen(5005, 4)) {
            NamespaceJvm client = m.kernelPeer("halfclose-client", m.moduleAddress, "5005");
            TcpConnection c = listener.accept(Duration.ofSeconds(30));
            assertNotNull(c, client.diagnostics());
            assertEquals("from the kernel", new String(c.input().readAllBytes(), StandardCharsets.UTF_8), "then its FIN");
            c.output().write("reply after your FIN".getBytes(StandardCharsets.UTF_8));
            c.close();
            client.awaitLine("the kernel read our reply", Duration.ofSeconds(10), "got reply after your FIN"::equals);
        }
    }

    @Test
    void anUplinkMoveKeepsAnOpenConnectionWorking() throws Exception {
        NamespaceJvm echo = m.kernelPeer("echo", m.serverAddress, "5006");
        echo.awaitLine("ready", Duration.ofSeconds(30), "ready"::equals);
        try (TcpConnection c = m.tcp.connect(m.server(), 5006, Duration.ofSeconds(10))) {
            PseudoRandomStream out = new PseudoRandomStream(77);
            PseudoRandomStream in = new PseudoRandomStream(77);
            roundTrip(c, out, in, 256 << 10);

            String newAddress = m.ns.outerAddress(3);
            m.ns.addRootAddress(newAddress);
            m.ns.removeRootAddress(m.ns.rootAddress());
            m.tunnel.rebind();
            String expected = newAddress + ":";
            Await.until("wireguard-go sees the module at its new address", Duration.ofSeconds(30), () -> {
                String e = m.wg.showDump().peers().get(0).endpoint();
                return e != null && e.startsWith(expected);
            }, m::diagnostics);

            roundTrip(c, out, in, 256 << 10);
            assertEquals("ESTABLISHED", m.tcp.status().connections().keySet().iterator().next());
        }
    }

    /** Sends {@code bytes} of the stream and reads the echo, checked. */
    private void roundTrip(TcpConnection c, PseudoRandomStream out, PseudoRandomStream in, int bytes) throws Exception {
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
            try {
                Streams.send(c.output(), out, bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] got = new byte[bytes];
        InputStream input = c.input();
        int off = 0;
        while (off < bytes) {
            int n = input.read(got, off, bytes - off);
            assertTrue(n > 0, "the echo stream ended early\n" + m.diagnostics());
            off += n;
        }
        byte[] want = new byte[bytes];
        in.next(want, 0, bytes);
        assertEquals(-1, Arrays.mismatch(got, want), "echo intact");
        send.get(30, TimeUnit.SECONDS);
    }

    /** Sending and checking the pseudo-random stream. */
    static final class Streams {
        private Streams() {
        }

        static void send(OutputStream out, PseudoRandomStream stream, long total) throws IOException {
            byte[] buf = new byte[64 * 1024];
            for (long sent = 0; sent < total; ) {
                int n = (int) Math.min(buf.length, total - sent);
                stream.next(buf, 0, n);
                out.write(buf, 0, n);
                sent += n;
            }
        }

        /** Reads to the end, checking every byte; fails naming the first that differs. */
        static long receiveAndCheck(InputStream in, PseudoRandomStream expected, java.util.function.Supplier<String> diagnostics)
                throws IOException {
            byte[] buf = new byte[64 * 1024];
            byte[] want = new byte[buf.length];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                expected.next(want, 0, n);
                int at = Arrays.mismatch(buf, 0, n, want, 0, n);
                if (at >= 0) {
                    throw new AssertionError("byte " + (total + at) + " differs from the sender's stream\n" + diagnostics.get());
                }
                total += n;
            }
            return total;
        }
    }
}
