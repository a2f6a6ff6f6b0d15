package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;

/** The runtime end to end: two layers in one JVM, real threads, blocking streams. */
class UserspaceTcpTest {
    private final LayerPair pair = new LayerPair();

    @AfterEach
    void close() {
        pair.close();
    }

    @Test
    void aConnectionCarriesDataBothWaysAndClosesGracefully() throws Exception {
        try (TcpListener listener = pair.tcpB.listen(2222, 4)) {
            CompletableFuture<TcpConnection> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept(Duration.ofSeconds(10));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TcpConnection client = pair.tcpA.connect(LayerPair.B, 2222, Duration.ofSeconds(5));
            TcpConnection server = accepted.get(10, TimeUnit.SECONDS);
            assertNotNull(server);
            assertEquals(LayerPair.A, server.remote().getAddress());
            assertEquals(client.local().getPort(), server.remote().getPort());

            client.output().write("hello".getBytes(StandardCharsets.UTF_8));
            byte[] got = new byte[5];
            readFully(server.input(), got);
            assertEquals("hello", new String(got, StandardCharsets.UTF_8));

            server.output().write("world".getBytes(StandardCharsets.UTF_8));
            server.shutdownOutput();
            assertEquals("world", new String(client.input().readAllBytes(), StandardCharsets.UTF_8), "then end of stream");
            client.close();
            assertEquals(-1, server.input().read());
            server.close();
        }
    }

    @Test
    void tenMebibytesEachWayArriveIntact() throws Exception {
        byte[] data = new byte[10 << 20];
        new Random(1).nextBytes(data);
        try (TcpListener listener = pair.tcpB.listen(2223, 4)) {
            CompletableFuture<byte[]> serverGot = CompletableFuture.supplyAsync(() -> {
                try (TcpConnection c = listener.accept(Duration.ofSeconds(10))) {
                    CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> write(c.output(), data));
                    byte[] in = c.input().readAllBytes();
                    echo.get(60, TimeUnit.SECONDS);
                    c.shutdownOutput();
                    return in;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TcpConnection client = pair.tcpA.connect(LayerPair.B, 2223, Duration.ofSeconds(5));
            long start = System.nanoTime();
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                write(client.output(), data);
                client.shutdownOutput();
            });
            byte[] back = client.input().readAllBytes();
            send.get(60, TimeUnit.SECONDS);
            assertTrue(Arrays.equals(data, serverGot.get(60, TimeUnit.SECONDS)), "client to server intact");
            assertEquals(data.length, back.length, "server to client length");
            assertEquals(-1, Arrays.mismatch(data, back), "server to client intact");
            System.out.printf("20 MiB through two userspace layers in %.2f s%n", (System.nanoTime() - start) / 1e9);
            client.close();
        }
    }

    @Test
    void aClosedPortRefusesAtOnce() {
        long start = System.nanoTime();
        ConnectException e = assertThrows(ConnectException.class, () -> pair.tcpA.connect(LayerPair.B, 9, Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused at once, not after retries");
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    private static void write(OutputStream out, byte[] data) {
        try {
            for (int i = 0; i < data.length; i += 60000) {
                out.write(data, i, Math.min(60000, data.length - i));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                throw new IOException("end of stream after " + off);
            }
            off += n;
        }
    }
}
