package org.wgkaraf.api.access;

import java.util.Map;

/**
 * A snapshot of the SOCKS5 proxy.
 *
 * @param port     the port on 127.0.0.1 it listens on, or would listen on (0 when off)
 * @param state    whether it listens
 * @param detail   why it does not listen, or what limits it while it does (no tunnel); else {@code null}
 * @param open     connections open now, in the handshake or proxied
 * @param limit    the most connections open at once; more are refused ({@link SocksRefusal#LIMIT})
 * @param accepted connections accepted since the proxy started
 * @param proxied  connections that reached their target since the proxy started
 * @param refusals connections refused since the proxy started, by reason (only reasons that occurred)
 */
public record SocksStatus(int port, ListenerState state, String detail, int open, int limit, long accepted,
                          long proxied, Map<SocksRefusal, Long> refusals) {
    public SocksStatus {
        refusals = Map.copyOf(refusals);
    }

    public long refused(SocksRefusal reason) {
        return refusals.getOrDefault(reason, 0L);
    }
}
