package org.wgkaraf.netif.tun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Names and addresses for the TUN tests, chosen so that concurrent runs do not collide: interfaces
 * are "wgkt" + 4 random hex digits, networks are 10.213.N.0/24 (veth) and 10.214.N.0/24 (tunnel and
 * TUN addresses) with N free in the root namespace's addresses and routes.
 */
final class TestNet {
    static final String PREFIX = "wgkt";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Integer> TAKEN = new HashSet<>();

    private TestNet() {
    }

    /** "wgkt" and 4 hex digits no interface of the root namespace has yet. */
    static synchronized String uniqueName() {
        while (true) {
            String name = PREFIX + HexFormat.of().toHexDigits((short) RANDOM.nextInt());
            if (!Files.exists(Path.of("/sys/class/net", name))) {
                return name;
            }
        }
    }

    /** N such that neither 10.213.N.0/24 nor 10.214.N.0/24 is in use here; give it back with {@link #release}. */
    static synchronized int allocateSubnet() {
        String inUse = Commands.run("ip", "-4", "-o", "addr", "show").stdout() + Commands.run("ip", "-4", "route", "show", "table", "all").stdout();
        int start = RANDOM.nextInt(254);
        for (int i = 0; i < 254; i++) {
            int n = 1 + (start + i) % 254;
            if (!TAKEN.contains(n) && !inUse.contains("10.213." + n + ".") && !inUse.contains("10.214." + n + ".")) {
                TAKEN.add(n);
                return n;
            }
        }
        throw new IllegalStateException("every 10.213.N/10.214.N subnet is in use: remove stale test links (ip link | grep wgk)");
    }

    static synchronized void release(int n) {
        TAKEN.remove(n);
    }

    static Inet4Address inner(int n, int host) {
        return ipv4(10, 214, n, host);
    }

    static Inet4Address ipv4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean linkExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    /** Fails unless the interface is gone within a few seconds. */
    static void assertGone(String name) {
        Await.until("interface " + name + " is gone", Duration.ofSeconds(5), () -> !linkExists(name),
                () -> Commands.tryRun("ip", "link", "show", name).stdout());
    }

    /** Removes the interface if a failed test left it (a device not closed); tolerates its absence. */
    static void removeQuietly(String name) {
        if (linkExists(name)) {
            Commands.tryRun("ip", "link", "del", name);
        }
    }
}
