package org.wgkaraf.netif;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.wgkaraf.netif.tun.PseudoRandomStream;

/**
 * The Linux kernel's TCP end of the interop tests: run in a child JVM inside the server's
 * namespace (behind wireguard-go), it uses plain OS sockets. One mode per run, given as the
 * first argument; it reports on stdout, one line per event, for the test to wait on.
 * <ul>
 * <li>{@code send host port seed bytes}: connects, sends the pseudo-random stream, shuts its
 *     output, waits for the peer to close; prints "connected", then "sent ms".</li>
 * <li>{@code sink host port seed bytes}: listens (prints "ready"), accepts one connection, checks
 *     every byte, printing "progress ms bytes" at most every 50 ms while data comes; then prints
 *     "received n" or "mismatch at i" and closes.</li>
 * <li>{@code echo host port}: listens (prints "ready") and echoes every connection, each on its
 *     own thread, shutting its output when the peer does.</li>
 * <li>{@code connect host port}: one attempt; prints "refused ms", "connected" or "failed msg".</li>
 * <li>{@code halfclose-server host port}: listens (prints "ready"), reads until the peer's FIN,
 *     prints "eof n", then sends "after your FIN" and closes.</li>
 * <li>{@code halfclose-client host port}: connects, sends "from the kernel", shuts its output,
 *     then prints "got text" with everything read until the peer's FIN.</li>
 * </ul>
 */
public final class TcpPeer {
    private TcpPeer() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        switch (mode) {
            case "send" -> send(host, port, Long.parseLong(args[3]), Long.parseLong(args[4]));
            case "sink" -> sink(host, port, Long.parseLong(args[3]), Long.parseLong(args[4]));
            case "echo" -> echo(host, port);
            case "connect" -> connect(host, port);
            case "halfclose-server" -> halfCloseServer(host, port);
            case "halfclose-client" -> halfCloseClient(host, port);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void send(String host, int port, long seed, long total) throws IOException {
        PseudoRandomStream stream = new PseudoRandomStream(seed);
        byte[] buf = new byte[64 * 1024];
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            say("connected");
            long start = System.nanoTime();
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < total; ) {
                int n = (int) Math.min(buf.length, total - sent);
                stream.next(buf, 0, n);
                out.write(buf, 0, n);
                sent += n;
            }
            s.shutdownOutput();
            while (s.getInputStream().read(buf) >= 0) {
                continue; // until the receiver closes: every byte was taken
            }
            say("sent " + (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void sink(String host, int port, long seed, long total) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            say("ready");
            try (Socket s = server.accept()) {
                PseudoRandomStream expected = new PseudoRandomStream(seed);
                byte[] buf = new byte[64 * 1024];
                byte[] want = new byte[buf.length];
                long received = 0;
                InputStream in = s.getInputStream();
                long start = System.nanoTime();
                long lastPrint = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long now = System.nanoTime();
                    if (now - lastPrint >= 50_000_000L) {
                        say("progress " + (now - start) / 1_000_000 + " " + received);
                        lastPrint = now;
                    }
                    expected.next(want, 0, n);
                    int at = Arrays.mismatch(buf, 0, n, want, 0, n);
                    if (at >= 0) {
                        say("mismatch at " + (received + at));
                        return;
                    }
                    received += n;
                }
                say("progress " + (System.nanoTime() - start) / 1_000_000 + " " + received);
                say("received " + received);
            }
        }
    }

    private static void echo(String host, int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            say("ready");
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> echoOne(s), "echo");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void echoOne(Socket s) {
        try (s) {
            byte[] buf = new byte[64 * 1024];
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            s.shutdownOutput();
        } catch (IOException e) {
            say("echo failed: " + e.getMessage());
        }
    }

    private static void connect(String host, int port) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            say("connected");
        } catch (ConnectException e) {
            say("refused " + (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            say("failed " + e);
        }
    }

    private static void halfCloseServer(String host, int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            say("ready");
            try (Socket s = server.accept()) {
                byte[] all = s.getInputStream().readAllBytes();
                say("eof " + all.length);
                s.getOutputStream().write("after your FIN".getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
            }
        }
    }

    private static void halfCloseClient(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.getOutputStream().write("from the kernel".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            byte[] all = s.getInputStream().readAllBytes();
            say("got " + new String(all, StandardCharsets.UTF_8));
        }
    }
}
