package org.wgkaraf.api.wireguard;

import org.wgkaraf.api.engine.TunnelStatus;

/**
 * What {@code wireguard status} shows.
 *
 * @param started       the client is started (tunnel up or being brought up)
 * @param peerUp        the latest handshake is younger than 180 s
 * @param interfaceName the tunnel's interface ({@code wg3}) while it exists, else null
 * @param tunnel        the engine's view of the tunnel while it exists, else null
 * @param stoppedByUser {@code wireguard stop} was given and holds until {@code wireguard start}
 * @param lastError     why the tunnel is not up (network not ready, unresolvable endpoint, …), or null
 * @param refused       the latest configuration refused and why, or null
 */
public record WireGuardStatus(boolean started, boolean peerUp, String interfaceName, TunnelStatus tunnel,
                              boolean stoppedByUser, String lastError, String refused) {
}
