package org.wgkaraf.shell.format;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.TunnelStatus;

/** A tunnel as {@code wg show} prints it: the interface, then a block a peer. Keys are public ones only. */
public final class TunnelFormat {
    static final String NONE = "(none)";

    private TunnelFormat() {
    }

    public static List<String> lines(String interfaceName, TunnelStatus tunnel, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add("interface: " + interfaceName);
        lines.add("  public key: " + tunnel.publicKey());
        lines.add("  listening port: " + tunnel.listenPort());
        if (tunnel.lastError() != null) {
            lines.add("  last error: " + tunnel.lastError());
        }
        for (PeerStatus peer : tunnel.peers()) {
            lines.add("");
            lines.addAll(peer(peer, now));
        }
        return lines;
    }

    static List<String> peer(PeerStatus peer, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add("peer: " + peer.publicKey());
        lines.add("  endpoint: " + (peer.endpoint() == null ? NONE : endpoint(peer)));
        lines.add("  latest handshake: " + (peer.latestHandshake() == null ? NONE : ago(peer.latestHandshake(), now)));
        lines.add("  transfer: " + Units.bytes(peer.rxBytes()) + " received, " + Units.bytes(peer.txBytes()) + " sent");
        if (peer.persistentKeepaliveSeconds() > 0) {
            lines.add("  persistent keepalive: every " + Units.span(peer.persistentKeepaliveSeconds()));
        }
        if (peer.lastError() != null) {
            lines.add("  last error: " + peer.lastError());
        }
        return lines;
    }

    /** {@code 1 minute, 5 seconds ago}; {@code now} within the same second; a clock that went back says so. */
    static String ago(Instant then, Instant now) {
        long seconds = Duration.between(then, now).getSeconds();
        if (seconds < 0) {
            return Units.span(-seconds) + " in the future (the clock went back)";
        }
        return seconds == 0 ? "now" : Units.span(seconds) + " ago";
    }

    private static String endpoint(PeerStatus peer) {
        var address = peer.endpoint().getAddress();
        String host = address == null ? peer.endpoint().getHostString() : address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + peer.endpoint().getPort();
    }
}
