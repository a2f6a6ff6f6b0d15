package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Run in a child JVM inside the peer's namespace: connects to host:port and sends {@code bytes}
 * of the {@link PseudoRandomStream} of {@code seed}, then closes.
 */
final class StreamSender {
    private StreamSender() {
    }

    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        PseudoRandomStream stream = new PseudoRandomStream(Long.parseLong(args[2]));
        long total = Long.parseLong(args[3]);
        byte[] buf = new byte[64 * 1024];
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < total; ) {
                int n = (int) Math.min(buf.length, total - sent);
                stream.next(buf, 0, n);
                out.write(buf, 0, n);
                sent += n;
            }
            s.shutdownOutput();
            // Wait for the receiver to close, so every byte was taken before this process ends.
            while (s.getInputStream().read(buf) >= 0) {
                continue;
            }
        }
    }
}
