package org.wgkaraf.api.netif;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One TCP connection through the tunnel, used with blocking streams. Backpressure is the
 * stream's: a reader that does not read closes the window to the peer, and {@code write} blocks
 * while the send buffer is full. Data is sent as soon as it is written (Nagle is off).
 */
@ProviderType
public interface TcpConnection extends AutoCloseable {

    /** The module's side: its tunnel address and port. */
    InetSocketAddress local();

    /** The peer's address and port, as carried by the tunnel: a peer cannot be faked by the module. */
    InetSocketAddress remote();

    /**
     * Bytes from the peer. {@code read} blocks until data arrives, returns -1 once the peer has
     * closed its side and everything was read, and throws {@link java.io.IOException} when the
     * connection was reset or aborted.
     */
    InputStream input();

    /**
     * Bytes to the peer. {@code write} blocks while the send buffer is full and throws
     * {@link java.io.IOException} once the connection is reset or closed; {@code flush} has nothing
     * to do; {@code close} is {@link #shutdownOutput()}.
     */
    OutputStream output();

    /** Sends FIN after what was written: the peer reads the end of the stream; reading goes on. */
    void shutdownOutput();

    /** Closes both directions gracefully (FIN after what was written) and wakes blocked callers. */
    @Override
    void close();

    /** Resets the connection at once, discarding what was not sent. */
    void abort();
}
