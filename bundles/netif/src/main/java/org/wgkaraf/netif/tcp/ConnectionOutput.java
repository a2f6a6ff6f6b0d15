package org.wgkaraf.netif.tcp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A connection's bytes to the peer, as the application writes them: {@code write} copies into the
 * send buffer, blocking while it is full (backpressure), and sends what the windows allow after
 * each copy, without the lock. {@code flush} has nothing to do: Nagle is off. {@code close} shuts
 * the output (FIN after what was written), as the API says.
 */
final class ConnectionOutput extends OutputStream {
    /** A writer blocked by the layer's memory budget looks again after this long. */
    private static final long MEMORY_RETRY_NANOS = 20_000_000L;

    private final UserspaceConnection c;
    private final byte[] one = new byte[1];

    ConnectionOutput(UserspaceConnection c) {
        this.c = c;
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            c.lock.lock();
            try {
                while (true) {
                    Tcb tcb = c.tcb;
                    if (tcb.error != null || c.closedByApplication && tcb.state == TcpState.CLOSED) {
                        throw c.failure("write");
                    }
                    int n = tcb.write(b, off, len);
                    if (n < 0) {
                        throw c.failure("write");
                    }
                    if (n > 0) {
                        off += n;
                        len -= n;
                        c.updated(c.layer.now(), false);
                        break;
                    }
                    try {
                        if (tcb.writeSpace() > 0) {
                            // Room in this connection's buffer, but the layer's budget is spent:
                            // memory comes back from other connections, which do not signal this
                            // one; look again shortly.
                            c.writable.awaitNanos(MEMORY_RETRY_NANOS);
                        } else {
                            c.writable.await();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while writing " + c);
                    }
                }
            } finally {
                c.lock.unlock();
            }
            c.pump();
        }
    }

    @Override
    public void flush() {
        // Data is sent as soon as it is written (Nagle is off).
    }

    @Override
    public void close() {
        c.shutdownOutput();
    }
}
