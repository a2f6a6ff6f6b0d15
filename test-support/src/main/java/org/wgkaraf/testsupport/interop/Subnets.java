package org.wgkaraf.testsupport.interop;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out the third octet N of the test networks: 10.213.N.0/24 for the veth ("outer") link and
 * 10.214.N.0/24 for the tunnel ("inner") addresses. N is chosen at random and skipped while the
 * root namespace already has an address or route in 10.213.N.0/24 or 10.214.N.0/24 (a TUN device
 * test puts its inner address there), so a concurrent run on the same machine does not clash with
 * this one.
 */
public final class Subnets {
    public static final String OUTER = "10.213.";
    public static final String INNER = "10.214.";
    private static final Set<Integer> TAKEN = new HashSet<>();

    private Subnets() {
    }

    public static synchronized int allocate() {
        String inUse = Shell.run("ip", "-4", "-o", "addr", "show").stdout()
                + Shell.run("ip", "-4", "route", "show", "table", "all").stdout();
        int start = ThreadLocalRandom.current().nextInt(254);
        for (int i = 0; i < 254; i++) {
            int n = 1 + (start + i) % 254;
            if (!TAKEN.contains(n) && !inUse.contains(OUTER + n + ".") && !inUse.contains(INNER + n + ".")) {
                TAKEN.add(n);
                return n;
            }
        }
        throw new IllegalStateException("every 10.213.N.0/24 or 10.214.N.0/24 is in use on this machine: remove stale test links (ip link | grep wgk)");
    }

    public static synchronized void release(int n) {
        TAKEN.remove(n);
    }

    /** 10.213.N.host */
    public static String outer(int n, int host) {
        return OUTER + n + "." + host;
    }

    /** 10.214.N.host */
    public static String inner(int n, int host) {
        return INNER + n + "." + host;
    }
}
