package org.wgkaraf.api.netif;

import java.util.List;
import java.util.Map;

/**
 * What {@code network status} and {@code wireguard status} show of TCP through the tunnel, from
 * {@link TcpService#status()}. Plain data: the shell formats it.
 *
 * @param connections   open connections by state, RFC 9293's names ({@code ESTABLISHED},
 *                      {@code TIME_WAIT}, ...); only states with at least one connection appear
 * @param listening     ports listened on, ascending
 * @param drops         segments dropped or refused, by reason ({@code TCP_BAD_CHECKSUM},
 *                      {@code TCP_RST_CHALLENGED}, ...); only reasons counted at least once appear
 * @param bytesBuffered bytes held in send and receive buffers, all connections together
 */
public record TcpStatus(Map<String, Integer> connections, List<Integer> listening, Map<String, Long> drops,
                        long bytesBuffered) {
    public TcpStatus {
        connections = Map.copyOf(connections);
        listening = List.copyOf(listening);
        drops = Map.copyOf(drops);
    }

    public static final TcpStatus EMPTY = new TcpStatus(Map.of(), List.of(), Map.of(), 0);

    /** Open connections, all states together. */
    public int openConnections() {
        return connections.values().stream().mapToInt(Integer::intValue).sum();
    }
}
