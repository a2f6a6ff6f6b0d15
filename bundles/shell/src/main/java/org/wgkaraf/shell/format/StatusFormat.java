package org.wgkaraf.shell.format;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.wgkaraf.api.wireguard.WireGuardStatus;

/**
 * {@code wireguard status}: the original's two lines to the letter (two spaces after each colon),
 * then what the original never showed: the tunnel as {@code wg show} prints it, and why it is not up.
 */
public final class StatusFormat {
    private StatusFormat() {
    }

    public static List<String> lines(WireGuardStatus status, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add("Connection status:  " + (status.started() ? "started" : "stopped"));
        if (status.started()) {
            lines.add("Peer status:  " + (status.peerUp() ? "up" : "down"));
        }
        if (status.tunnel() != null) {
            String name = status.interfaceName() != null ? status.interfaceName() : status.tunnel().name();
            lines.add("");
            lines.addAll(TunnelFormat.lines(name, status.tunnel(), now));
        }
        List<String> notes = notes(status);
        if (!notes.isEmpty()) {
            lines.add("");
            lines.addAll(notes);
        }
        return lines;
    }

    private static List<String> notes(WireGuardStatus status) {
        List<String> notes = new ArrayList<>();
        if (status.lastError() != null) {
            notes.add("last error: " + status.lastError());
        }
        if (status.refused() != null) {
            notes.add("refused configuration: " + status.refused());
        }
        if (status.stoppedByUser()) {
            notes.add("stopped by 'wireguard stop' (use 'wireguard start')");
        }
        return notes;
    }
}
