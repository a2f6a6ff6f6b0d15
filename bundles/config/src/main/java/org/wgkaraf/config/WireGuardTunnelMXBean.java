package org.wgkaraf.config;

import java.util.Map;

/**
 * The tunnel of {@code network.wireguard} over JMX, under {@value TunnelMonitor#OBJECT_NAME}:
 * what {@code wireguard status} shows, as numbers a monitoring system collects (JConsole,
 * Jolokia, Karaf Decanter's JMX collector). Open types only, so a client needs no class of ours.
 * Read from a snapshot refreshed every second; reading never waits on the tunnel.
 */
public interface WireGuardTunnelMXBean {
    /** One of {@link ClientState}: RUNNING, WAITING_FOR_NETWORK, STOPPED_BY_USER, ... */
    String getState();

    /** The latest handshake is younger than 180 s. */
    boolean isPeerUp();

    /** {@code wg<n>} while the tunnel exists, else empty. */
    String getInterfaceName();

    /** The UDP port the tunnel listens on, or 0. */
    int getListenPort();

    /** The server's address and port as last seen ({@code 203.0.113.5:51820}), or empty. */
    String getEndpoint();

    /** Milliseconds since the epoch of the latest handshake, or 0 for none. */
    long getLatestHandshakeEpochMillis();

    /** Seconds since the latest handshake, or -1 for none. */
    long getSecondsSinceLatestHandshake();

    long getBytesReceived();

    long getBytesSent();

    long getPacketsReceived();

    long getPacketsSent();

    /** Datagrams and packets dropped, by reason (every reason the engine counts, zeros included). */
    Map<String, Long> getDrops();

    /** The sum of {@link #getDrops()}. */
    long getDropsTotal();

    /** Why the tunnel is not up, or the engine's latest complaint; empty when none. */
    String getLastError();

    /** The latest configuration refused and why; empty when none. */
    String getRefused();
}
