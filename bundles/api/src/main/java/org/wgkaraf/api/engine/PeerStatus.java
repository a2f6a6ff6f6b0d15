package org.wgkaraf.api.engine;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * What {@code wg show} tells of one peer.
 *
 * @param up              latest handshake younger than 180 s (REJECT_AFTER_TIME)
 * @param latestHandshake wall-clock time of the latest completed handshake, or {@code null}
 * @param endpoint        current endpoint (follows roaming), or {@code null} when unknown
 * @param lastError       latest problem with this peer (unresolvable endpoint, no answer), or {@code null}
 */
public record PeerStatus(PublicKey publicKey, InetSocketAddress endpoint, boolean up, Instant latestHandshake,
                         long rxBytes, long txBytes, long rxPackets, long txPackets,
                         int persistentKeepaliveSeconds, String lastError) {
}
