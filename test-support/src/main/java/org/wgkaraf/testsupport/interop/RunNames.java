package org.wgkaraf.testsupport.interop;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-run prefix of every namespace, link, interface and temp directory the harness makes,
 * so a run finds (and removes) exactly its own things and two runs never collide. Linux allows
 * 15 characters in an interface name: "wgk" + 4 hex + 2 for the lab + 4 for the object fits.
 */
public final class RunNames {
    /** "wgk" and four random hex digits, fixed for this JVM. */
    public static final String RUN = "wgk" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
    private static final AtomicInteger LABS = new AtomicInteger();

    private RunNames() {
    }

    /** A fresh prefix for one lab: the run prefix and two base-36 digits. */
    public static String nextLabPrefix() {
        int n = LABS.getAndIncrement() % (36 * 36);
        String digits = Integer.toString(n, 36);
        return RUN + (digits.length() == 1 ? "0" + digits : digits);
    }
}
