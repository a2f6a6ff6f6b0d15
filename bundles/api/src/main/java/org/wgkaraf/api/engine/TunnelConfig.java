package org.wgkaraf.api.engine;

import java.util.List;

/**
 * One tunnel: our static private key, the UDP port we listen on (0 = any free port) and its peers.
 * {@link #toString()} never shows the private or pre-shared keys.
 */
public record TunnelConfig(String name, SecretKey privateKey, int listenPort, List<PeerConfig> peers) {
    public TunnelConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tunnel name is empty");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("private key is missing");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port " + listenPort + " is outside 0-65535");
        }
        peers = List.copyOf(peers == null ? List.of() : peers);
    }
}
