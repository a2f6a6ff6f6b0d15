package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel's UDP socket, and its swap to a new one (rebind, a new listen port), which the
 * receive thread follows without noticing.
 *
 * <p>Why a monitor: the receive thread, thrown out of {@code receive} by a close, must tell a
 * planned close (a swap, or the tunnel's close) from an unplanned one. It reads the swap's state
 * ({@link #channel}, {@link #swapping}, {@link #closed}) in one synchronized block, and a swap
 * changes that state in one synchronized block too, so the receiver can never see half a swap.
 *
 * <p>Why non-blocking: the receive thread must know when no datagram is waiting (the end of a
 * burst, when the sink passes on what it held back), so it receives until there is none, says
 * so, and only then waits, in a {@link Selector} of its own. A socket closed while registered
 * with a selector is really closed (its port free again) only when that selector next runs, so
 * every close here wakes it. Sending on a non-blocking socket finds its buffer full where a
 * blocking one would wait: {@link #send} waits then, briefly, as the blocking socket did.
 *
 * <p>A burst of equal-sized datagrams to one destination may go in one system call
 * ({@link #sendSegments}, UDP segmentation offload through {@link UdpGso}), on the same socket.
 * Whether the current socket can is found out at its first burst, and again after every swap.
 *
 * <p>Threads: {@link #receive} only on the receive thread; {@link #send}, {@link #sendSegments},
 * {@link #swapTo} and {@link #close} under the engine lock. No method calls out of this class, except {@link #receive}
 * its idle callback, on the receive thread, holding nothing.
 */
final class UdpSocket {
    private static final Logger LOG = LoggerFactory.getLogger(UdpSocket.class);
    /** How long {@link #send} waits for room in a full send buffer before it gives the datagram up. */
    private static final long SEND_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long SEND_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /**
     * The socket's receive and send buffers. The default (net.core.rmem_default, 208 KiB on
     * Linux) holds about 140 full datagrams: a sender's burst (a TCP sender in slow start, a
     * router releasing a queue) overflows it while the receive thread is busy, and every
     * datagram lost there is a TCP segment lost inside the tunnel (seen in LossyPathTcpIT: up to
     * 69 of 3,500 datagrams). wireguard-go asks for 7 MiB. The kernel caps the request at
     * net.core.rmem_max / wmem_max (4 MiB on the test machine, 208 KiB on a stock kernel: raise
     * them on the module, README "Tuning"). The memory is taken only while datagrams wait.
     */
    static final int BUFFER_BYTES = 4 << 20;

    private final RuntimeHooks hooks;
    /** The receive thread's wait for a datagram; woken by every close. */
    private final Selector readable;
    /** The socket in use. Written under this monitor; read without it by {@link #send}. */
    private volatile DatagramChannel channel;
    /** A fixed-port swap closed the old socket and is binding the new one. Guarded by this. */
    private boolean swapping;
    /** Closed for good (the tunnel's close). Guarded by this. */
    private boolean closed;
    /** The socket {@link #gso} belongs to; the offload is looked up again when the socket changed. Engine lock. */
    private DatagramChannel gsoChannel;
    /** The offload on {@link #gsoChannel}, or null when it cannot be used there. Engine lock. */
    private UdpGso gso;

    private UdpSocket(DatagramChannel channel, RuntimeHooks hooks) throws IOException {
        this.channel = channel;
        this.hooks = hooks;
        try {
            this.readable = Selector.open();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Binds {@code port} on every local address (0: any free port). */
    static UdpSocket bind(int port, RuntimeHooks hooks) throws IOException {
        return new UdpSocket(open(port), hooks);
    }

    private static DatagramChannel open(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
            ch.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot listen on UDP port " + port + ": " + e.getMessage(), e);
        }
        return ch;
    }

    /**
     * Binds {@code port} again after its socket was closed. NIO finishes closing a socket only when
     * the thread blocked in its receive has left, a matter of milliseconds: retry until then.
     */
    private static DatagramChannel openWhenReleased(int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            try {
                return open(port);
            } catch (IOException e) {
                if (!(e.getCause() instanceof BindException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Receives one datagram into {@code into}, on whatever socket is current: a swap under way is
     * waited for and followed. Before it waits for a datagram, it runs {@code idle}: none is
     * waiting. Returns null once the socket is closed for good.
     *
     * @throws ClosedChannelException when the socket was closed by something other than a swap or
     *                                {@link #close()}: the tunnel cannot receive any more
     * @throws IOException            when this receive failed; the next may work
     */
    SocketAddress receive(ByteBuffer into, Runnable idle) throws IOException {
        DatagramChannel ch = channel;
        while (true) {
            try {
                SocketAddress from = ch.receive(into);
                if (from != null) {
                    return from;
                }
                idle.run();
                awaitReadable(ch);
            } catch (ClosedChannelException e) {
                readable.selectNow(); // lets the closed socket go (its port may be bound again at once)
                hooks.receiverSawClosedSocket();
                ch = successorOf(ch);
                if (ch == null) {
                    return null;
                }
            }
        }
    }

    /** The receive thread ends: its selector closes, and with it what is left of a closed socket. */
    void receiverDone() {
        try {
            readable.close();
        } catch (IOException e) {
            // nothing to do: the thread is ending
        }
    }

    /** Waits until {@code ch} may have a datagram, or a close woke the selector. */
    private void awaitReadable(DatagramChannel ch) throws IOException {
        if (ch.keyFor(readable) == null) {
            ch.register(readable, SelectionKey.OP_READ);
        }
        readable.select();
        readable.selectedKeys().clear();
    }

    /** The socket that replaced {@code old}, waiting for a swap under way; null when closed for good. */
    private synchronized DatagramChannel successorOf(DatagramChannel old) throws IOException {
        while (swapping && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        if (closed) {
            return null;
        }
        if (channel != old) {
            return channel;
        }
        throw new ClosedChannelException();
    }

    /**
     * Sends a datagram from the current socket. Its send buffer full, waits for room (in short
     * pauses, at most {@link #SEND_WAIT_NANOS}), as a blocking socket would have.
     *
     * @throws IOException when sending failed, or there was no room in time (the datagram is lost)
     */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        DatagramChannel ch = channel;
        if (ch.send(datagram, to) > 0 || !datagram.hasRemaining()) {
            return;
        }
        long deadline = System.nanoTime() + SEND_WAIT_NANOS;
        do {
            LockSupport.parkNanos(SEND_PAUSE_NANOS);
            if (ch.send(datagram, to) > 0) {
                return;
            }
        } while (System.nanoTime() - deadline < 0);
        throw new IOException("the socket's send buffer stayed full for " + TimeUnit.NANOSECONDS.toMillis(SEND_WAIT_NANOS) + " ms");
    }

    /**
     * Sends {@code buffer[0, length)} as datagrams of {@code segmentSize} bytes (the last may be
     * shorter) to {@code to}, in one system call, from the current socket. Its send buffer full,
     * waits for room as {@link #send} does.
     *
     * @param buffer a direct buffer
     * @return false when this socket cannot send a burst in one call (the caller sends the
     *         datagrams one by one); true when the datagrams were sent
     * @throws IOException when sending failed (the datagrams are lost)
     */
    boolean sendSegments(ByteBuffer buffer, int length, int segmentSize, InetSocketAddress to) throws IOException {
        DatagramChannel ch = channel;
        UdpGso g = offloadFor(ch);
        if (g == null) {
            return false;
        }
        if (!ch.isOpen()) {
            throw new ClosedChannelException(); // its descriptor may be another file's by now
        }
        int errno = g.send(buffer, length, segmentSize, to);
        if (errno == UdpNative.EAGAIN) {
            long deadline = System.nanoTime() + SEND_WAIT_NANOS;
            do {
                LockSupport.parkNanos(SEND_PAUSE_NANOS);
                errno = g.send(buffer, length, segmentSize, to);
            } while (errno == UdpNative.EAGAIN && System.nanoTime() - deadline < 0);
            if (errno == UdpNative.EAGAIN) {
                throw new IOException("the socket's send buffer stayed full for " + TimeUnit.NANOSECONDS.toMillis(SEND_WAIT_NANOS) + " ms");
            }
        }
        if (errno == 0) {
            return true;
        }
        if (UdpGso.refused(errno)) {
            gso = null;
            LOG.info("UDP port {}: the kernel refused to send {} datagrams in one call ({}); this socket sends one per call",
                    localPort(ch), (length + segmentSize - 1) / segmentSize, UdpGso.describe(errno));
            return false;
        }
        throw new IOException("sending " + (length + segmentSize - 1) / segmentSize + " datagrams to " + to + " failed: "
                + UdpGso.describe(errno));
    }

    /** The offload on {@code ch}, looked up at its first use; null when it cannot be had. */
    private UdpGso offloadFor(DatagramChannel ch) {
        if (ch != gsoChannel) {
            gsoChannel = ch;
            gso = null;
            int port = localPort(ch);
            try {
                gso = UdpGso.find(port);
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.info("UDP port {}: datagrams go one per system call: {}", port, e.getMessage());
            }
        }
        return gso;
    }

    /** Whether a burst may go in one call: not known yet for the current socket, or known to. Engine lock. */
    boolean maySendSegments() {
        return gsoChannel != channel || gso != null;
    }

    /** Whether the current socket sends bursts in one call, as far as known (tests). */
    boolean sendsSegments() {
        return gsoChannel == channel && gso != null;
    }

    /**
     * Moves to a new socket on {@code port}. A different port is bound first, so a failure leaves
     * the old socket in place. The same fixed port cannot be bound twice: the old socket lets it go
     * first, and the receive thread waits for the new one.
     *
     * @throws IOException when the port cannot be bound, or the socket is closed
     */
    void swapTo(int port) throws IOException {
        DatagramChannel old;
        boolean samePort;
        synchronized (this) {
            if (closed) {
                throw new IOException("the socket is closed");
            }
            old = channel;
            samePort = port != 0 && old.isOpen() && localPort(old) == port;
            swapping = samePort;
        }
        if (!samePort) {
            DatagramChannel fresh = open(port);
            synchronized (this) {
                channel = fresh;
                notifyAll();
            }
            old.close();
            readable.wakeup();
            return;
        }
        DatagramChannel fresh = null;
        try {
            old.close();
            readable.wakeup(); // the old socket lets its port go when the receive thread's selector runs
            hooks.swapClosedOldSocket();
            fresh = openWhenReleased(port);
        } finally {
            synchronized (this) {
                if (fresh != null) {
                    channel = fresh;
                }
                swapping = false;
                notifyAll();
            }
        }
    }

    /** The local port, or 0 when closed. */
    int localPort() {
        return localPort(channel);
    }

    private static int localPort(DatagramChannel ch) {
        try {
            return ch.isOpen() && ch.getLocalAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Closes the socket for good; the receive thread's {@link #receive} then returns null. */
    void close() throws IOException {
        DatagramChannel ch;
        synchronized (this) {
            closed = true;
            ch = channel;
            notifyAll();
        }
        try {
            ch.close();
        } finally {
            readable.wakeup();
        }
    }
}
