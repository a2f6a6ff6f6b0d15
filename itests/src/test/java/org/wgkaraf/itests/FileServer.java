package org.wgkaraf.itests;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A web server of the private network for the SOCKS5 test: serves the files of a folder over
 * HTTP. Run by the test in the server's namespace: {@code FileServer <folder> <address> <port>};
 * prints "listening" once it accepts connections, and stops when its standard input closes.
 */
public final class FileServer {
    private FileServer() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])), 16);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(file, out);
            }
        });
        server.start();
        System.out.println("listening");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our standard input
        }
        server.stop(0);
    }
}
