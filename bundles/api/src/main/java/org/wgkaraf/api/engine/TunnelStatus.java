package org.wgkaraf.api.engine;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one tunnel.
 *
 * @param running    the tunnel holds a socket and runs its timers
 * @param listenPort the UDP port actually bound (the configured one, or the one the OS chose)
 * @param drops      how many datagrams and packets were dropped, by reason
 * @param lastError  latest tunnel-wide problem (socket error), or {@code null}
 */
public record TunnelStatus(String name, boolean running, PublicKey publicKey, int listenPort,
                           List<PeerStatus> peers, Map<DropReason, Long> drops, String lastError) {
    public TunnelStatus {
        peers = List.copyOf(peers);
        drops = Map.copyOf(drops);
    }

    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }
}
