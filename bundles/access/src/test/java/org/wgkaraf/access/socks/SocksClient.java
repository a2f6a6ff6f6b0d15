package org.wgkaraf.access.socks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.wgkaraf.access.LoopbackTcpService;

/** A SOCKS5 client written out byte by byte, to send what curl never would. */
final class SocksClient implements AutoCloseable {
    final Socket socket;

    SocksClient(int port) throws IOException {
        socket = new Socket(LoopbackTcpService.LOOPBACK, port);
        socket.setSoTimeout(15_000);
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Each value is one byte (its low 8 bits). */
    void send(int... values) throws IOException {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        send(b);
    }

    byte[] read(int n) throws IOException {
        byte[] b = socket.getInputStream().readNBytes(n);
        if (b.length != n) {
            throw new IOException("end of stream after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /** Everything up to the server's EOF. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(out);
        return out.toByteArray();
    }

    /** The method selection for a greeting offering "no authentication": 05 00. */
    void greet() throws IOException {
        send(5, 1, 0);
        byte[] r = read(2);
        if (r[0] != 5 || r[1] != 0) {
            throw new IOException("method selection " + r[0] + " " + r[1]);
        }
    }

    /** The reply code (REP) to a CONNECT to an IPv4 address; the whole 10-byte reply is read. */
    int connect(Inet4Address address, int port) throws IOException {
        byte[] a = address.getAddress();
        send(5, 1, 0, 1, a[0], a[1], a[2], a[3], (byte) (port >> 8), (byte) port);
        return reply();
    }

    /** The reply code to a CONNECT to a name. */
    int connect(String host, int port) throws IOException {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[7 + name.length];
        req[0] = 5;
        req[1] = 1;
        req[3] = 3;
        req[4] = (byte) name.length;
        System.arraycopy(name, 0, req, 5, name.length);
        req[5 + name.length] = (byte) (port >> 8);
        req[6 + name.length] = (byte) port;
        send(req);
        return reply();
    }

    /** The reply's REP field; checks VER, RSV and that the reply is IPv4-typed. */
    int reply() throws IOException {
        byte[] r = read(10);
        if (r[0] != 5 || r[2] != 0 || r[3] != 1) {
            throw new IOException("malformed reply: " + java.util.Arrays.toString(r));
        }
        return r[1] & 0xff;
    }

    /** Reads the rest until EOF, which the server must send within the socket's timeout. */
    boolean closedByServer() throws IOException {
        InputStream in = socket.getInputStream();
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
