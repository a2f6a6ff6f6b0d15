package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.shell.fixture.FakeRegistry.ipv4;
import static org.wgkaraf.shell.fixture.QuickStart.MODULE_PUBLIC;
import static org.wgkaraf.shell.fixture.QuickStart.SERVER_PUBLIC;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.PeerStatus;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.TunnelStatus;
import org.wgkaraf.api.wireguard.WireGuardStatus;

class StatusFormatTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void startedWithPeerDownIsTheGuidesTwoLines() {
        assertEquals(List.of("Connection status:  started", "Peer status:  down"),
                StatusFormat.lines(new WireGuardStatus(true, false, null, null, false, null, null), NOW));
    }

    @Test
    void startedWithPeerUpIsTheGuidesTwoLines() {
        assertEquals(List.of("Connection status:  started", "Peer status:  up"),
                StatusFormat.lines(new WireGuardStatus(true, true, null, null, false, null, null), NOW));
    }

    @Test
    void stoppedHasNoPeerLine() {
        assertEquals(List.of("Connection status:  stopped"),
                StatusFormat.lines(new WireGuardStatus(false, false, null, null, false, null, null), NOW));
    }

    @Test
    void runningTunnelIsShownLikeWgShow() {
        PeerStatus peer = new PeerStatus(PublicKey.fromBase64(SERVER_PUBLIC),
                new InetSocketAddress(ipv4("198.51.100.7"), 51820), true, NOW.minusSeconds(65),
                1239, 3482, 10, 12, 25, null);
        WireGuardStatus status = new WireGuardStatus(true, true, "wg3", tunnel(peer), false, null, null);
        assertEquals(List.of(
                "Connection status:  started",
                "Peer status:  up",
                "",
                "interface: wg3",
                "  public key: " + MODULE_PUBLIC,
                "  listening port: 11010",
                "",
                "peer: " + SERVER_PUBLIC,
                "  endpoint: 198.51.100.7:51820",
                "  latest handshake: 1 minute, 5 seconds ago",
                "  transfer: 1.21 KiB received, 3.40 KiB sent",
                "  persistent keepalive: every 25 seconds"), StatusFormat.lines(status, NOW));
    }

    @Test
    void peerNeverReachedShowsNoneAndNoKeepaliveWhenOff() {
        PeerStatus peer = new PeerStatus(PublicKey.fromBase64(SERVER_PUBLIC), null, false, null,
                0, 148, 0, 1, 0, "wg.example.net does not resolve");
        List<String> lines = StatusFormat.lines(
                new WireGuardStatus(true, false, "wg3", tunnel(peer), false, null, null), NOW);
        assertEquals(List.of(
                "peer: " + SERVER_PUBLIC,
                "  endpoint: (none)",
                "  latest handshake: (none)",
                "  transfer: 0 B received, 148 B sent",
                "  last error: wg.example.net does not resolve"), lines.subList(7, lines.size()));
    }

    @Test
    void reasonsFollowAfterABlankLine() {
        WireGuardStatus status = new WireGuardStatus(false, false, null, null, true,
                "network not ready", "peer_public_key: not valid base64");
        assertEquals(List.of(
                "Connection status:  stopped",
                "",
                "last error: network not ready",
                "refused configuration: peer_public_key: not valid base64",
                "stopped by 'wireguard stop' (use 'wireguard start')"), StatusFormat.lines(status, NOW));
    }

    private static TunnelStatus tunnel(PeerStatus peer) {
        return new TunnelStatus("network.wireguard", true, PublicKey.fromBase64(MODULE_PUBLIC), 11010,
                List.of(peer), Map.of(), null);
    }
}
