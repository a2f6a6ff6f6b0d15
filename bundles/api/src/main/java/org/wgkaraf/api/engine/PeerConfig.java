package org.wgkaraf.api.engine;

import java.util.List;

/**
 * One peer of a tunnel.
 *
 * @param publicKey                  the peer's static public key
 * @param presharedKey               the pre-shared key, or {@code null} for none
 * @param endpoint                   where to send; {@code null} for a peer that only answers (it is learnt from its packets)
 * @param allowedIps                 inner source addresses accepted from this peer, and destinations routed to it
 * @param persistentKeepaliveSeconds 0 = off, else 1-65535
 */
public record PeerConfig(PublicKey publicKey, SecretKey presharedKey, Endpoint endpoint,
                         List<IpPrefix> allowedIps, int persistentKeepaliveSeconds) {
    public PeerConfig {
        if (publicKey == null) {
            throw new IllegalArgumentException("peer public key is missing");
        }
        if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive " + persistentKeepaliveSeconds + " is outside 0-65535 seconds");
        }
        allowedIps = List.copyOf(allowedIps == null ? List.of() : allowedIps);
    }
}
