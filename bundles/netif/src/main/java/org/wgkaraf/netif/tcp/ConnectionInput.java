package org.wgkaraf.netif.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;

/**
 * A connection's bytes from the peer, as the application reads them: {@code read} blocks until
 * some arrive, returns -1 at the end of the stream and throws once the connection failed. Reading
 * frees buffer space; when that is worth telling the peer, the window update goes out after the
 * lock is released.
 */
final class ConnectionInput extends InputStream {
    private final UserspaceConnection c;
    private final byte[] one = new byte[1];

    ConnectionInput(UserspaceConnection c) {
        this.c = c;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n;
        boolean update;
        c.lock.lock();
        try {
            while (true) {
                if (c.closedByApplication) {
                    throw c.failure("read");
                }
                n = c.tcb.read(b, off, len, c.layer.now());
                if (n > 0) {
                    update = c.tcb.ackNow;
                    if (update) {
                        c.updated(c.layer.now(), false);
                    }
                    break;
                }
                if (n < 0) {
                    if (c.tcb.error != null) {
                        throw c.failure("read");
                    }
                    return -1;
                }
                try {
                    c.readable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading " + c);
                }
            }
        } finally {
            c.lock.unlock();
        }
        if (update) {
            c.pump(); // a window update
        }
        return n;
    }

    @Override
    public int available() {
        c.lock.lock();
        try {
            return c.tcb.readable();
        } finally {
            c.lock.unlock();
        }
    }

    @Override
    public void close() {
        c.close();
    }
}
