package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * The tunnel's UDP socket, and its swap to a new one (rebind, a new listen port), which the
 * receive thread follows without noticing.
 *
 * <p>Why a monitor: the receive thread, thrown out of {@code receive} by a close, must tell a
 * planned close (a swap, or the tunnel's close) from an unplanned one. It reads the swap's state
 * ({@link #channel}, {@link #swapping}, {@link #closed}) in one synchronized block, and a swap
 * changes that state in one synchronized block too, so the receiver can never see half a swap.
 *
 * <p>Threads: {@link #receive} only on the receive thread; {@link #send}, {@link #swapTo} and
 * {@link #close} under the engine lock. No method calls out of this class.
 */
final class UdpSocket {
    private final RuntimeHooks hooks;
    /** The socket in use. Written under this monitor; read without it by {@link #send}. */
    private volatile DatagramChannel channel;
    /** A fixed-port swap closed the old socket and is binding the new one. Guarded by this. */
    private boolean swapping;
    /** Closed for good (the tunnel's close). Guarded by this. */
    private boolean closed;

    private UdpSocket(DatagramChannel channel, RuntimeHooks hooks) {
        this.channel = channel;
        this.hooks = hooks;
    }

    /** Binds {@code port} on every local address (0: any free port). */
    static UdpSocket bind(int port, RuntimeHooks hooks) throws IOException {
        return new UdpSocket(open(port), hooks);
    }

    private static DatagramChannel open(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
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
     * waited for and followed. Returns null once the socket is closed for good.
     *
     * @throws ClosedChannelException when the socket was closed by something other than a swap or
     *                                {@link #close()}: the tunnel cannot receive any more
     * @throws IOException            when this receive failed; the next may work
     */
    SocketAddress receive(ByteBuffer into) throws IOException {
        DatagramChannel ch = channel;
        while (true) {
            try {
                return ch.receive(into);
            } catch (ClosedChannelException e) {
                hooks.receiverSawClosedSocket();
                ch = successorOf(ch);
                if (ch == null) {
                    return null;
                }
            }
        }
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

    /** Sends a datagram from the current socket. */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        channel.send(datagram, to);
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
            return;
        }
        DatagramChannel fresh = null;
        try {
            old.close();
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
        ch.close();
    }
}
