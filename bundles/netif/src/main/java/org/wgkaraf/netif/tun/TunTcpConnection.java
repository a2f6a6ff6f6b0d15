package org.wgkaraf.netif.tun;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.wgkaraf.api.netif.TcpConnection;

/** A connection the OS carries over a TUN interface: an OS socket bound to the interface's address. */
final class TunTcpConnection implements TcpConnection {
    private final Socket socket;
    private final Runnable onClose;
    private final InputStream in;
    private final OutputStream out;

    TunTcpConnection(Socket socket, Runnable onClose) throws IOException {
        this.socket = socket;
        this.onClose = onClose;
        socket.setTcpNoDelay(true); // Nagle off, as on the userspace backend
        this.in = new FilterInputStream(socket.getInputStream()) {
            @Override
            public void close() {
                TunTcpConnection.this.close();
            }
        };
        this.out = new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len); // FilterOutputStream would write byte by byte
            }

            @Override
            public void close() {
                shutdownOutput();
            }
        };
    }

    @Override
    public InetSocketAddress local() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public InetSocketAddress remote() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void shutdownOutput() {
        try {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // the connection is gone already: nothing left to shut
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing to do
        }
        onClose.run();
    }

    @Override
    public void abort() {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0); // close sends RST
            }
        } catch (IOException e) {
            // already reset
        }
        close();
    }

    @Override
    public String toString() {
        return "TCP (OS) " + socket.getLocalSocketAddress() + " <-> " + socket.getRemoteSocketAddress();
    }
}
