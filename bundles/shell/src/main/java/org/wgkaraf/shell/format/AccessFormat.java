package org.wgkaraf.shell.format;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.api.access.SshBridgeStatus;

/**
 * The blocks {@code wireguard status} adds after the tunnel, in {@code wg show}'s indented style:
 * the SSH console reached through the tunnel, and the SOCKS5 proxy into it. Either block is left
 * out when its service is not there (access bundle not installed or stopped).
 *
 * <pre>
 * ssh console: port 22, listening
 *   session: karaf from 172.16.1.10:50512, open 3 minutes, 2 seconds
 *   connections: 5 accepted, 0 refused
 *
 * socks5 proxy: 127.0.0.1:1080, listening
 *   connections: 2 open (at most 32), 12 accepted, 10 proxied
 *   refused: outside the tunnel's subnet 2
 * </pre>
 */
public final class AccessFormat {
    private AccessFormat() {
    }

    public static List<String> ssh(SshBridgeStatus ssh, Instant now) {
        List<String> lines = new ArrayList<>();
        if (ssh.state() == ListenerState.OFF) {
            lines.add("ssh console: off (ssh_port 0)");
        } else {
            lines.add("ssh console: port " + ssh.port() + ", " + state(ssh.state()));
        }
        if (ssh.detail() != null && ssh.state() != ListenerState.OFF) { // off: the first line says why
            lines.add("  note: " + ssh.detail());
        }
        for (SshBridgeStatus.Session s : ssh.sessions()) {
            lines.add("  session: " + (s.user() == null ? "(not logged in yet)" : s.user()) + " from " + address(s.remote())
                    + ", open " + Units.span(Math.max(0, Duration.between(s.opened(), now).getSeconds())));
        }
        if (ssh.state() != ListenerState.OFF || ssh.accepted() + ssh.refused() > 0) {
            lines.add("  connections: " + ssh.accepted() + " accepted, " + ssh.refused() + " refused");
        }
        return lines;
    }

    public static List<String> socks(SocksStatus socks) {
        List<String> lines = new ArrayList<>();
        if (socks.state() == ListenerState.OFF) {
            lines.add("socks5 proxy: off (socks_port 0)");
        } else {
            lines.add("socks5 proxy: 127.0.0.1:" + socks.port() + ", " + state(socks.state()));
        }
        if (socks.detail() != null && socks.state() != ListenerState.OFF) {
            lines.add("  note: " + socks.detail());
        }
        if (socks.state() != ListenerState.OFF || socks.accepted() > 0) {
            lines.add("  connections: " + socks.open() + " open (at most " + socks.limit() + "), " + socks.accepted()
                    + " accepted, " + socks.proxied() + " proxied");
        }
        if (!socks.refusals().isEmpty()) {
            lines.add("  refused: " + socks.refusals().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey().description() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        return lines;
    }

    private static String state(ListenerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String address(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }
}
