package org.wgkaraf.netif.registry;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.wgkaraf.netif.registry.HostSnapshot.DefaultRoute;
import org.wgkaraf.netif.registry.HostSnapshot.HostInterface;

/**
 * Reads the network state of the process's own network namespace from Linux, without running any
 * command: the interfaces from /sys/class/net (flags, index, carrier or operstate) and their IPv4
 * addresses from {@link NetworkInterface}; the default route from /proc/net/route; the name
 * servers from the {@code nameserver} lines of /etc/resolv.conf. Where /sys is missing, the
 * interfaces come from {@link NetworkInterface} alone.
 */
public final class LinuxHostProbe implements HostProbe {
    private static final int IFF_UP = 0x1;
    private static final int IFF_LOOPBACK = 0x8;
    private static final int RTF_UP = 0x1;
    private static final int RTF_REJECT = 0x200;

    private final Path sysClassNet;
    private final Path procNetRoute;
    private final Path resolvConf;

    public LinuxHostProbe() {
        this(Path.of("/sys/class/net"), Path.of("/proc/net/route"), Path.of("/etc/resolv.conf"));
    }

    /** Reads other files than the OS's own (tests). */
    public LinuxHostProbe(Path sysClassNet, Path procNetRoute, Path resolvConf) {
        this.sysClassNet = sysClassNet;
        this.procNetRoute = procNetRoute;
        this.resolvConf = resolvConf;
    }

    @Override
    public HostSnapshot read() throws IOException {
        Map<String, NetworkInterface> java = javaInterfaces();
        List<HostInterface> interfaces = Files.isDirectory(sysClassNet) ? fromSysfs(java) : fromJava(java);
        return new HostSnapshot(interfaces, defaultRoute(), nameservers());
    }

    private static Map<String, NetworkInterface> javaInterfaces() throws IOException {
        Map<String, NetworkInterface> byName = new HashMap<>();
        var all = NetworkInterface.getNetworkInterfaces();
        if (all != null) {
            for (NetworkInterface n : Collections.list(all)) {
                byName.put(n.getName(), n);
            }
        }
        return byName;
    }

    /**
     * Every device of /sys/class/net: {@link NetworkInterface} lists only interfaces that have an
     * address, and the original also shows an interface that is down and unconfigured.
     */
    private List<HostInterface> fromSysfs(Map<String, NetworkInterface> java) throws IOException {
        List<HostInterface> out = new ArrayList<>();
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(sysClassNet)) {
            for (Path dir : devices) {
                if (!Files.isDirectory(dir)) {
                    continue; // bonding_masters and other control files
                }
                String name = dir.getFileName().toString();
                NetworkInterface nif = java.get(name);
                try {
                    int flags = Integer.decode(read(dir.resolve("flags")));
                    if ((flags & IFF_LOOPBACK) != 0) {
                        continue;
                    }
                    int index = Integer.parseInt(read(dir.resolve("ifindex")));
                    boolean ifup = (flags & IFF_UP) != 0;
                    out.add(withAddress(name, index, ifup, ifup && linkup(dir, nif), nif));
                } catch (NoSuchFileException e) {
                    // The device went away while we read it: it is not part of this snapshot.
                }
            }
        }
        return out;
    }

    /** Carrier when the driver reports it, else the operational state, else what Java says. */
    private static boolean linkup(Path dir, NetworkInterface nif) throws IOException {
        try {
            return read(dir.resolve("carrier")).equals("1");
        } catch (IOException e) {
            // A device that is down, or whose driver does not know, refuses to report a carrier (EINVAL).
        }
        try {
            String state = read(dir.resolve("operstate")).toLowerCase(Locale.ROOT);
            if (!state.equals("unknown")) {
                return state.equals("up");
            }
        } catch (IOException e) {
            // Fall through to Java's view.
        }
        return nif != null && nif.isUp();
    }

    private static List<HostInterface> fromJava(Map<String, NetworkInterface> java) throws IOException {
        List<HostInterface> out = new ArrayList<>();
        for (NetworkInterface nif : java.values()) {
            if (nif.isLoopback() || nif.isVirtual()) {
                continue;
            }
            boolean up = nif.isUp();
            out.add(withAddress(nif.getName(), nif.getIndex(), up, up, nif));
        }
        return out;
    }

    private static HostInterface withAddress(String name, int index, boolean ifup, boolean linkup, NetworkInterface nif) {
        InterfaceAddress first = nif == null ? null : firstIpv4(nif);
        if (first == null) {
            return new HostInterface(name, index, ifup, linkup, Ipv4.ANY, Ipv4.ANY);
        }
        return new HostInterface(name, index, ifup, linkup, (Inet4Address) first.getAddress(),
                Ipv4.netmask(first.getNetworkPrefixLength()));
    }

    /**
     * The interface's primary IPv4 address, the one {@code ip addr} shows first. On Linux Java
     * lists the addresses in the reverse of the kernel's order (it prepends each one the kernel
     * reports), so that is the last IPv4 address of Java's list. The interop test checks it with a
     * secondary address present.
     */
    private static InterfaceAddress firstIpv4(NetworkInterface nif) {
        InterfaceAddress first = null;
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address) {
                first = a;
            }
        }
        return first;
    }

    private Optional<DefaultRoute> defaultRoute() throws IOException {
        if (!Files.exists(procNetRoute)) {
            return Optional.empty();
        }
        return parseDefaultRoute(Files.readAllLines(procNetRoute), ByteOrder.nativeOrder());
    }

    /**
     * The default route of a /proc/net/route table, the one of lowest metric. The kernel prints
     * each address as the int its network-order bytes make in the host's byte order.
     */
    static Optional<DefaultRoute> parseDefaultRoute(List<String> lines, ByteOrder hostOrder) {
        DefaultRoute best = null;
        long bestMetric = Long.MAX_VALUE;
        for (int i = 1; i < lines.size(); i++) { // line 0 is the header
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                String iface = f[0];
                int destination = Integer.parseUnsignedInt(f[1], 16);
                int gateway = Integer.parseUnsignedInt(f[2], 16);
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                int mask = Integer.parseUnsignedInt(f[7], 16);
                boolean usable = (flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0 && !iface.equals("*");
                if (usable && destination == 0 && mask == 0 && metric < bestMetric) {
                    int networkOrder = hostOrder == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(gateway) : gateway;
                    best = new DefaultRoute(iface, Ipv4.of(networkOrder));
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // Not a route line.
            }
        }
        return Optional.ofNullable(best);
    }

    private List<InetAddress> nameservers() throws IOException {
        if (!Files.exists(resolvConf)) {
            return List.of();
        }
        return parseNameservers(Files.readAllLines(resolvConf));
    }

    /** The {@code nameserver} addresses of a resolv.conf, in order; anything that is not an address literal is ignored. */
    static List<InetAddress> parseNameservers(List<String> lines) {
        List<InetAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                InetAddress a = literal(f[1]);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /**
     * Parses an IP literal without ever asking a resolver: InetAddress would look up anything it
     * does not take for a literal, so IPv4 is parsed here and only text with a colon (which Java
     * parses as IPv6 or refuses) reaches it.
     */
    private static InetAddress literal(String text) {
        if (text.contains(":")) {
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        int address = 0;
        for (String o : octets) {
            if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
                return null;
            }
            address = address << 8 | Integer.parseInt(o);
        }
        return Ipv4.of(address);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
