package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.shell.fixture.FakeRegistry.ipv4;
import static org.wgkaraf.shell.fixture.FakeRegistry.netif;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.NetifInfo;

/** The three {@code network status} outputs of the guide (vpn.rst, Troubleshooting), to the letter. */
class NetworkStatusFormatTest {
    private static final NetifInfo AP2 = netif(2, "ap2", true, true, "192.168.4.1", "255.255.255.0", "192.168.4.1");
    private static final NetifInfo ST1 = netif(1, "st1", true, true, "192.168.1.12", "255.255.255.0", "192.168.1.1");

    private static String text(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void withoutTunnelAndWifiClientMatchesTheGuide() {
        NetifInfo st1Down = netif(1, "st1", false, false, "0.0.0.0", "0.0.0.0", "0.0.0.0");
        String expected = """
                Interface#2: ap2 (ifup=1 linkup=1)
                  IPv4: 192.168.4.1/255.255.255.0 gateway 192.168.4.1

                Interface#1: st1 (ifup=0 linkup=0)
                  IPv4: 0.0.0.0/0.0.0.0 gateway 0.0.0.0

                DNS: None

                Default Interface: ap2 (192.168.4.1/255.255.255.0 gateway 192.168.4.1)
                """;
        assertEquals(expected, text(NetworkStatusFormat.lines(List.of(AP2, st1Down), List.of(), Optional.of(AP2))));
    }

    @Test
    void tunnelInterfaceBeforeItsPeerIsUpMatchesTheGuide() {
        assertEquals(withTunnel("linkup=0"), text(NetworkStatusFormat.lines(
                List.of(wg3(false), AP2, ST1), List.of(ipv4("192.168.1.1")), Optional.of(ST1))));
    }

    @Test
    void tunnelInterfaceWithItsPeerUpMatchesTheGuide() {
        assertEquals(withTunnel("linkup=1"), text(NetworkStatusFormat.lines(
                List.of(wg3(true), AP2, ST1), List.of(ipv4("192.168.1.1")), Optional.of(ST1))));
    }

    @Test
    void severalDnsServersOnOneLineAndNoDefaultInterface() {
        List<InetAddress> dns = List.of(ipv4("192.168.1.1"), ipv4("9.9.9.9"));
        List<String> lines = NetworkStatusFormat.lines(List.of(), dns, Optional.empty());
        assertEquals(List.of("DNS: 192.168.1.1 9.9.9.9", "", "Default Interface: None"), lines);
    }

    private static NetifInfo wg3(boolean linkup) {
        return netif(3, "wg3", true, linkup, "172.16.10.20", "255.255.255.0", "0.0.0.0");
    }

    private static String withTunnel(String linkup) {
        return """
                Interface#3: wg3 (ifup=1 %s)
                  IPv4: 172.16.10.20/255.255.255.0 gateway 0.0.0.0

                Interface#2: ap2 (ifup=1 linkup=1)
                  IPv4: 192.168.4.1/255.255.255.0 gateway 192.168.4.1

                Interface#1: st1 (ifup=1 linkup=1)
                  IPv4: 192.168.1.12/255.255.255.0 gateway 192.168.1.1

                DNS: 192.168.1.1

                Default Interface: st1 (192.168.1.12/255.255.255.0 gateway 192.168.1.1)
                """.formatted(linkup);
    }
}
