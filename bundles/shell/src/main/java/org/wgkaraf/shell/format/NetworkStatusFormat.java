package org.wgkaraf.shell.format;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.wgkaraf.api.netif.NetifInfo;

/** {@code network status}, line for line as the original prints it. */
public final class NetworkStatusFormat {
    private NetworkStatusFormat() {
    }

    /** @param interfaces in the registry's order (newest first) */
    public static List<String> lines(List<NetifInfo> interfaces, List<InetAddress> dnsServers,
                                     Optional<NetifInfo> defaultInterface) {
        List<String> lines = new ArrayList<>();
        for (NetifInfo netif : interfaces) {
            lines.add("Interface#" + netif.number() + ": " + netif.name()
                    + " (ifup=" + flag(netif.ifup()) + " linkup=" + flag(netif.linkup()) + ")");
            lines.add("  IPv4: " + addresses(netif));
            lines.add("");
        }
        lines.add("DNS: " + (dnsServers.isEmpty() ? "None"
                : dnsServers.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(" "))));
        lines.add("");
        lines.add("Default Interface: " + defaultInterface
                .map(netif -> netif.name() + " (" + addresses(netif) + ")")
                .orElse("None"));
        return lines;
    }

    private static String addresses(NetifInfo netif) {
        return netif.address().getHostAddress() + "/" + netif.netmask().getHostAddress()
                + " gateway " + netif.gateway().getHostAddress();
    }

    private static int flag(boolean value) {
        return value ? 1 : 0;
    }
}
