package org.wgkaraf.access.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.AbstractIoWriteFuture;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.apache.sshd.server.session.ServerSession;
import org.wgkaraf.api.netif.TcpConnection;

/**
 * A MINA SSHD {@link IoSession} over one {@link TcpConnection} of the tunnel: the SSH server's
 * session (its {@link IoHandler}) sees the connection exactly as one of its own port, with the
 * peer's address as the tunnel carried it.
 * <p>
 * Two threads, because a {@code TcpConnection} has blocking streams only:
 * <ul>
 * <li>{@code -in} reads the connection and hands each chunk to the handler; it pauses while
 * {@link #suspendRead() suspended}, and a slow handler slows the peer through TCP.</li>
 * <li>{@code -out} writes the queue to the connection. {@link #writeBuffer} never blocks (SSHD
 * writes from its own shared threads and while holding session locks, as on NIO2); its future
 * completes only once the bytes are written to the connection, which is what SSHD's asynchronous
 * streams (SFTP's replies) wait for before sending more. Channel data is bounded by the SSH
 * windows the peer grants; a peer that grants window but does not read is cut off once
 * {@link #MAX_QUEUED_BYTES} are waiting.</li>
 * </ul>
 * <p>
 * (About 430 lines, one file on purpose: it is one contract, MINA SSHD's {@link IoSession}, whose
 * read, write, suspend and close rules only make sense side by side.)
 */
final class TunnelIoSession extends AbstractCloseable implements IoSession {
    static final int READ_CHUNK = 32 * 1024;
    static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;

    private final long id;
    private final TunnelIoService service;
    private final IoHandler handler;
    private final TcpConnection connection;
    private final Object owner;
    private final Object origin;
    private final Instant opened;
    private final Map<Object, Object> attributes = new HashMap<>();

    private final Object queueLock = new Object();
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long peakQueuedBytes;
    private boolean writerStopped;
    private DefaultCloseFuture drained;
    private boolean outputShutDown;

    private final Object suspendLock = new Object();
    private boolean suspended;

    private final Thread reader;
    private final Thread writer;

    /**
     * @param owner  the SSH server whose handler serves it (the bridge closes its sessions when it goes)
     * @param origin the TCP service the connection came from (likewise)
     * @param tccl   the context class loader SSHD's own I/O threads run with
     */
    TunnelIoSession(TunnelIoService service, IoHandler handler, TcpConnection connection, Object owner,
                    Object origin, ClassLoader tccl) {
        super(String.valueOf(connection.remote()));
        this.id = service.nextId();
        this.service = service;
        this.handler = handler;
        this.connection = connection;
        this.owner = owner;
        this.origin = origin;
        this.opened = Instant.now();
        this.reader = new Thread(this::readLoop, "wgkaraf-ssh-" + id + "-in");
        this.writer = new Thread(this::writeLoop, "wgkaraf-ssh-" + id + "-out");
        for (Thread t : new Thread[] {reader, writer}) {
            t.setDaemon(true);
            t.setContextClassLoader(tccl);
        }
    }

    /** Starts both threads; the reader first creates the SSH session (the server sends its identification). */
    void start() {
        if (isClosing()) {
            return;
        }
        writer.start();
        reader.start();
    }

    Object owner() {
        return owner;
    }

    Object origin() {
        return origin;
    }

    Instant opened() {
        return opened;
    }

    /** The authenticated user, or null before authentication. */
    String user() {
        AbstractSession s = AbstractSession.getSession(this, true);
        return s instanceof ServerSession ss && ss.isAuthenticated() ? ss.getUsername() : null;
    }

    /** The most bytes that waited in the write queue at once. */
    long peakQueuedBytes() {
        synchronized (queueLock) {
            return peakQueuedBytes;
        }
    }

    /** Waits for both threads to end; true when they did within the time given. */
    boolean awaitThreads(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : new Thread[] {reader, writer}) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (t.isAlive() && left > 0) {
                t.join(left);
            }
        }
        return !reader.isAlive() && !writer.isAlive();
    }

    /** Resets the connection: for threads that did not end after a close. */
    void abort() {
        connection.abort();
    }

    private void readLoop() {
        try {
            handler.sessionCreated(this);
        } catch (Throwable e) {
            log.debug("SSH session over {} could not be created", this, e);
            close(true);
            return;
        }
        if (isClosing()) {
            // Closed while the session was being created: its close event found no session yet.
            try {
                handler.sessionClosed(this);
            } catch (Throwable e) {
                log.debug("sessionClosed({}) handler failed", this, e);
            }
            return;
        }
        InputStream in = connection.input();
        byte[] chunk = new byte[READ_CHUNK];
        while (!isClosing()) {
            if (!awaitResumed()) {
                break;
            }
            int n;
            try {
                n = in.read(chunk);
            } catch (IOException e) {
                failed(e);
                break;
            }
            if (n < 0) {
                close(true);
                break;
            }
            try {
                // The session copies what it is handed into its decoder buffer: the chunk is reused.
                handler.messageReceived(this, new ByteArrayBuffer(chunk, 0, n, true));
            } catch (Throwable e) {
                failed(e);
                break;
            }
        }
    }

    private boolean awaitResumed() {
        synchronized (suspendLock) {
            while (suspended && !isClosing()) {
                try {
                    suspendLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !isClosing();
    }

    private void writeLoop() {
        OutputStream out = connection.output();
        while (true) {
            Write w;
            synchronized (queueLock) {
                while (queue.isEmpty() && !writerStopped) {
                    try {
                        queueLock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        writerStopped = true;
                    }
                }
                if (writerStopped) {
                    return;
                }
                w = queue.peek();
            }
            try {
                if (w.shutdown) {
                    connection.shutdownOutput();
                } else {
                    out.write(w.data, w.offset, w.length);
                }
            } catch (IOException | RuntimeException e) {
                w.setValue(e);
                failed(e);
                return;
            }
            DefaultCloseFuture done = null;
            synchronized (queueLock) {
                if (queue.peek() == w) {
                    queue.poll();
                    queuedBytes -= w.length;
                }
                if (queue.isEmpty() && drained != null) {
                    done = drained;
                }
            }
            w.setValue(Boolean.TRUE);
            if (done != null) {
                done.setClosed();
            }
        }
    }

    private void failed(Throwable cause) {
        if (isOpen()) {
            try {
                handler.exceptionCaught(this, cause);
            } catch (Throwable e) {
                log.debug("exceptionCaught({}) handler failed", this, e);
            }
        }
        close(true);
    }

    @Override
    public IoWriteFuture writeBuffer(Buffer buffer) throws IOException {
        Write w = new Write(this, buffer.array(), buffer.rpos(), buffer.available(), false);
        if (!enqueue(w)) {
            w.setValue(new ClosedChannelException());
        }
        return w;
    }

    @Override
    public void shutdownOutputStream() throws IOException {
        synchronized (queueLock) {
            if (outputShutDown) {
                return;
            }
            outputShutDown = true;
        }
        enqueue(new Write(this, null, 0, 0, true));
    }

    private boolean enqueue(Write w) {
        boolean overflow;
        synchronized (queueLock) {
            if (writerStopped || isClosing()) {
                return false;
            }
            queue.add(w);
            queuedBytes += w.length;
            peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
            overflow = queuedBytes > MAX_QUEUED_BYTES;
            queueLock.notifyAll();
        }
        if (overflow) {
            log.info("SSH connection from {} closed: it does not read what it asked for ({} bytes waiting)",
                    connection.remote(), MAX_QUEUED_BYTES);
            close(true);
        }
        return true;
    }

    @Override
    public void suspendRead() {
        synchronized (suspendLock) {
            suspended = true;
        }
    }

    @Override
    public void resumeRead() {
        synchronized (suspendLock) {
            suspended = false;
            suspendLock.notifyAll();
        }
    }

    /** Graceful: what is queued is written, then the connection is closed. */
    @Override
    protected CloseFuture doCloseGracefully() {
        synchronized (queueLock) {
            drained = new DefaultCloseFuture(toString(), futureLock);
            if (queue.isEmpty()) {
                drained.setClosed();
            }
            return drained;
        }
    }

    @Override
    protected void doCloseImmediately() {
        ArrayDeque<Write> dropped;
        synchronized (queueLock) {
            writerStopped = true;
            dropped = new ArrayDeque<>(queue);
            queue.clear();
            queuedBytes = 0;
            queueLock.notifyAll();
        }
        for (Write w : dropped) {
            if (!w.isDone()) {
                w.setValue(new ClosedChannelException());
            }
        }
        synchronized (suspendLock) {
            suspendLock.notifyAll();
        }
        // FIN after what was written (an SSH disconnect message, typically), and blocked reads and writes wake.
        connection.close();
        service.unregister(this);
        super.doCloseImmediately();
        try {
            handler.sessionClosed(this);
        } catch (Throwable e) {
            log.debug("sessionClosed({}) handler failed", this, e);
        }
        synchronized (attributes) {
            attributes.clear();
        }
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public SocketAddress getAcceptanceAddress() {
        return connection.local();
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return connection.remote();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return connection.local();
    }

    @Override
    public Object getAttribute(Object key) {
        synchronized (attributes) {
            return attributes.get(key);
        }
    }

    @Override
    public Object setAttribute(Object key, Object value) {
        synchronized (attributes) {
            return attributes.put(key, value);
        }
    }

    @Override
    public Object setAttributeIfAbsent(Object key, Object value) {
        synchronized (attributes) {
            return attributes.putIfAbsent(key, value);
        }
    }

    @Override
    public Object removeAttribute(Object key) {
        synchronized (attributes) {
            return attributes.remove(key);
        }
    }

    @Override
    public TunnelIoService getService() {
        return service;
    }

    @Override
    public String toString() {
        return "TunnelIoSession[" + id + " " + connection.remote() + "]";
    }

    /** One write request: a slice of the caller's buffer (untouched until done), or the shutdown mark. */
    private static final class Write extends AbstractIoWriteFuture {
        final byte[] data;
        final int offset;
        final int length;
        final boolean shutdown;

        Write(Object id, byte[] data, int offset, int length, boolean shutdown) {
            super(id, null);
            this.data = data;
            this.offset = offset;
            this.length = length;
            this.shutdown = shutdown;
        }
    }
}
