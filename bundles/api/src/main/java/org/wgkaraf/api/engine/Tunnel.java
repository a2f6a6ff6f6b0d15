package org.wgkaraf.api.engine;

import org.osgi.annotation.versioning.ProviderType;

/** A running WireGuard tunnel, as returned by {@link WireGuardEngine#open}. */
@ProviderType
public interface Tunnel extends AutoCloseable {

    String name();

    /**
     * Sends one inner IP packet: picks the peer by its allowed IPs, encrypts it, or queues it while
     * a handshake runs. Returns false when the packet was dropped (see {@link TunnelStatus#drops()}).
     * The bytes are copied or consumed before return.
     */
    boolean send(byte[] packet, int offset, int length);

    /**
     * As {@link #send}, from a caller with more packets to send at once: the tunnel may hold the
     * datagram back, to hand the burst's datagrams to the OS together (one system call for up to
     * 64 of them), until the caller's next {@link #send} or {@link #flush()}, which the caller owes
     * at the end of its burst. Any other send through the tunnel passes what is held on first, so
     * the order of datagrams never changes. What is held is the encrypted datagram: the packet's
     * bytes are copied or consumed before return, as with {@link #send}.
     */
    default boolean sendMore(byte[] packet, int offset, int length) {
        return send(packet, offset, length);
    }

    /** Sends the datagrams {@link #sendMore} held back; nothing when none is held. */
    default void flush() {
    }

    TunnelStatus status();

    /**
     * Applies a new configuration. Peers whose public key stays keep their sessions; a changed
     * listen port rebinds the socket; a changed private key drops every session.
     *
     * @throws java.io.IOException when the new port cannot be bound, or the tunnel is closed (a
     *                             closed tunnel binds no socket again)
     */
    void reconfigure(TunnelConfig config) throws java.io.IOException;

    /**
     * The uplink changed (another interface or address): open a new socket on the same port, keep
     * the sessions, and re-resolve and re-handshake as needed. This is WireGuard roaming.
     *
     * @throws java.io.IOException when the port cannot be bound, or the tunnel is closed
     */
    void rebind() throws java.io.IOException;

    /** Stops the tunnel: closes its socket, ends its threads and timers, zeroes its keys. */
    @Override
    void close();
}
