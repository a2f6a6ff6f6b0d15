package org.wgkaraf.access.socks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.wgkaraf.access.LoopbackTcpService;

/** Hosts of the "private network", on loopback: an HTTP server, an echo server, a data source. */
final class Targets implements AutoCloseable {
    final byte[] file;
    private final HttpServer http;
    private final ServerSocket echo;
    private final ServerSocket source;
    private final long sourceTotal;
    private final AtomicLong sourced = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    Targets(int fileSize, long sourceTotal) throws IOException {
        file = new byte[fileSize];
        new Random(7).nextBytes(file);
        http = HttpServer.create(new InetSocketAddress(LoopbackTcpService.LOOPBACK, 0), 8);
        http.createContext("/file", exchange -> {
            exchange.sendResponseHeaders(200, file.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(file);
            }
        });
        http.start();
        echo = new ServerSocket(0, 8, LoopbackTcpService.LOOPBACK);
        source = new ServerSocket(0, 8, LoopbackTcpService.LOOPBACK);
        this.sourceTotal = sourceTotal;
        serve(echo, this::echo, "test-echo");
        serve(source, this::source, "test-source");
    }

    int httpPort() {
        return http.getAddress().getPort();
    }

    int echoPort() {
        return echo.getLocalPort();
    }

    int sourcePort() {
        return source.getLocalPort();
    }

    /** Bytes the source has written so far (for the connection it serves). */
    long sourced() {
        return sourced.get();
    }

    /** The byte at {@code position} of what the source writes. */
    static byte pattern(long position) {
        return (byte) (position ^ position >>> 11);
    }

    /** A port of 127.0.0.1 where nothing listens: connecting to it is refused. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LoopbackTcpService.LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private interface Handler {
        void handle(Socket s) throws IOException;
    }

    private void serve(ServerSocket server, Handler handler, String name) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread h = new Thread(() -> {
                        try (s) {
                            handler.handle(s);
                        } catch (IOException e) {
                            // The test closed it.
                        }
                    }, name);
                    h.setDaemon(true);
                    threads.add(h);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, name + "-accept");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Echoes until the client's EOF, then sends its own EOF. */
    private void echo(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        s.shutdownOutput();
    }

    /** Writes {@code sourceTotal} bytes of the pattern, counting, then closes. */
    private void source(Socket s) throws IOException {
        sourced.set(0);
        OutputStream out = s.getOutputStream();
        byte[] chunk = new byte[16 * 1024];
        long pos = 0;
        while (pos < sourceTotal) {
            int n = (int) Math.min(chunk.length, sourceTotal - pos);
            for (int i = 0; i < n; i++) {
                chunk[i] = pattern(pos + i);
            }
            out.write(chunk, 0, n);
            pos += n;
            sourced.set(pos);
        }
        s.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        echo.close();
        source.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
