package org.wgkaraf.api.access;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the SSH bridge.
 *
 * @param port     the port it listens on, or would listen on (0 when off)
 * @param state    whether it listens
 * @param detail   why it does not listen, or what keeps it from serving while it does; {@code null} when all is well
 * @param sessions the connections open through it, oldest first
 * @param accepted connections handed to Karaf's SSH server since the bridge started
 * @param refused  connections closed at once: over the limit, or no SSH server to serve them
 */
public record SshBridgeStatus(int port, ListenerState state, String detail, List<Session> sessions,
                              long accepted, long refused) {
    public SshBridgeStatus {
        sessions = List.copyOf(sessions);
    }

    /**
     * One connection through the bridge.
     *
     * @param remote the owner's address as the tunnel carried it
     * @param user   the authenticated user, or {@code null} before authentication
     * @param opened when the connection was accepted
     */
    public record Session(InetSocketAddress remote, String user, Instant opened) {
    }
}
