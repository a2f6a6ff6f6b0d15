package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.netif.registry.FakeHostProbe.ip;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgkaraf.netif.registry.HostSnapshot.DefaultRoute;
import org.wgkaraf.netif.registry.HostSnapshot.HostInterface;

/**
 * The Linux probe on files the test writes in the kernel's formats. (The interop test runs it on a
 * real namespace.) The devices here do not exist, so Java knows no address for them: 0.0.0.0.
 */
class LinuxHostProbeTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    @TempDir
    Path dir;

    private Path device(String name, String flags, int index, String carrier, String operstate) throws IOException {
        Path d = Files.createDirectories(dir.resolve("net").resolve(name));
        Files.writeString(d.resolve("flags"), flags + "\n");
        Files.writeString(d.resolve("ifindex"), index + "\n");
        if (carrier != null) {
            Files.writeString(d.resolve("carrier"), carrier + "\n");
        }
        if (operstate != null) {
            Files.writeString(d.resolve("operstate"), operstate + "\n");
        }
        return d;
    }

    private LinuxHostProbe probe() {
        return new LinuxHostProbe(dir.resolve("net"), dir.resolve("route"), dir.resolve("resolv.conf"));
    }

    @Test
    void readsEveryDeviceButLoopbackWithItsFlagsIndexAndLink() throws IOException {
        device("lo", "0x9", 1, "1", "unknown");
        device("fk-up", "0x1003", 2, "1", "up");
        device("fk-nocarrier", "0x1003", 3, "0", "lowerlayerdown");
        device("fk-down", "0x1002", 4, null, "down");       // down: the kernel refuses to report a carrier
        device("fk-operup", "0x1003", 5, null, "up");       // no carrier: the operational state
        device("fk-unknown", "0x1091", 6, null, "unknown"); // neither: Java's view, which does not know it
        Files.writeString(dir.resolve("net").resolve("bonding_masters"), "\n");

        List<HostInterface> found = probe().read().interfaces().stream()
                .sorted(Comparator.comparingInt(HostInterface::index)).toList();

        assertEquals(List.of(
                new HostInterface("fk-up", 2, true, true, ip("0.0.0.0"), ip("0.0.0.0")),
                new HostInterface("fk-nocarrier", 3, true, false, ip("0.0.0.0"), ip("0.0.0.0")),
                new HostInterface("fk-down", 4, false, false, ip("0.0.0.0"), ip("0.0.0.0")),
                new HostInterface("fk-operup", 5, true, true, ip("0.0.0.0"), ip("0.0.0.0")),
                new HostInterface("fk-unknown", 6, true, false, ip("0.0.0.0"), ip("0.0.0.0"))), found);
    }

    @Test
    void aDeviceThatVanishesWhileReadIsLeftOut() throws IOException {
        device("fk-up", "0x1003", 2, "1", "up");
        Path half = Files.createDirectories(dir.resolve("net").resolve("fk-gone"));
        Files.writeString(half.resolve("flags"), "0x1003\n"); // its ifindex is gone already

        assertEquals(List.of("fk-up"), probe().read().interfaces().stream().map(HostInterface::name).toList());
    }

    @Test
    void theDefaultRouteOfLowestMetricIsReadWithItsGateway() {
        List<String> table = List.of(HEADER,
                "eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
                "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0",
                "*\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0");

        assertEquals(Optional.of(new DefaultRoute("eth0", ip("10.0.0.1"))),
                LinuxHostProbe.parseDefaultRoute(table, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void onABigEndianHostTheGatewayIsReadAsPrinted() {
        List<String> table = List.of(HEADER, "eth0\t00000000\t0A000001\t0003\t0\t0\t0\t00000000\t0\t0\t0");

        assertEquals(Optional.of(new DefaultRoute("eth0", ip("10.0.0.1"))),
                LinuxHostProbe.parseDefaultRoute(table, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void anOnLinkDefaultRouteHasGatewayZero() {
        List<String> table = List.of(HEADER, "ppp0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0");

        assertEquals(Optional.of(new DefaultRoute("ppp0", ip("0.0.0.0"))),
                LinuxHostProbe.parseDefaultRoute(table, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void withoutARouteTo0Slash0ThereIsNoDefaultRoute() {
        List<String> table = List.of(HEADER,
                "eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "*\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0"); // unreachable default

        assertEquals(Optional.empty(), LinuxHostProbe.parseDefaultRoute(table, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void nameserversAreReadInOrderAndNothingElse() {
        List<String> conf = List.of(
                "# generated",
                "search example.org",
                "nameserver 192.168.1.1",
                "; nameserver 1.1.1.1",
                "nameserver   9.9.9.9  ",
                "nameserver 2001:db8::53",
                "nameserver 300.1.1.1",
                "nameserver dns.example.org",
                "options edns0");

        assertEquals(List.of(ip("192.168.1.1"), ip("9.9.9.9"), ipv6("2001:db8::53")),
                LinuxHostProbe.parseNameservers(conf));
    }

    @Test
    void filesThatDoNotExistMeanNoRouteAndNoDns() throws IOException {
        device("fk-up", "0x1003", 2, "1", "up");

        HostSnapshot s = probe().read();

        assertEquals(Optional.empty(), s.defaultRoute());
        assertEquals(List.of(), s.dnsServers());
    }

    @Test
    void readsRouteAndDnsFromTheGivenFiles() throws IOException {
        device("fk-up", "0x1003", 2, "1", "up");
        Files.write(dir.resolve("route"), List.of(HEADER,
                "eth0\t00000000\t" + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "0100000A" : "0A000001")
                        + "\t0003\t0\t0\t0\t00000000\t0\t0\t0"));
        Files.write(dir.resolve("resolv.conf"), List.of("nameserver 10.0.0.53"));

        HostSnapshot s = probe().read();

        assertEquals(Optional.of(new DefaultRoute("eth0", ip("10.0.0.1"))), s.defaultRoute());
        assertEquals(List.of(ip("10.0.0.53")), s.dnsServers());
    }

    private static InetAddress ipv6(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
