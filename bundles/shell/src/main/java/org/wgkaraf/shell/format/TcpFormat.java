package org.wgkaraf.shell.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.wgkaraf.api.netif.TcpStatus;

/**
 * The TCP block {@code network status} adds after the original's lines: TCP through the tunnel
 * (the userspace layer, or the OS's sockets on TUN interfaces), in the original's "Name: value"
 * style. The drop line appears once something was dropped.
 *
 * <pre>
 * TCP: 1 open (ESTABLISHED 1), listening on 22, 12.00 KiB buffered
 *   drops: TCP_BAD_CHECKSUM 3, TCP_RST_CHALLENGED 1
 * </pre>
 */
public final class TcpFormat {
    private TcpFormat() {
    }

    public static List<String> lines(TcpStatus status) {
        List<String> lines = new ArrayList<>();
        int open = status.openConnections();
        String connections = open == 0 ? "none open" : open + " open (" + counts(status.connections()) + ")";
        String listening = status.listening().isEmpty() ? "listening on no port"
                : "listening on " + status.listening().stream().map(String::valueOf).collect(Collectors.joining(" "));
        lines.add("TCP: " + connections + ", " + listening + ", " + Units.bytes(status.bytesBuffered()) + " buffered");
        if (!status.drops().isEmpty()) {
            lines.add("  drops: " + counts(status.drops()));
        }
        return lines;
    }

    /** "NAME n, NAME n" in name order, whatever map the snapshot carries. */
    static String counts(Map<String, ? extends Number> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
