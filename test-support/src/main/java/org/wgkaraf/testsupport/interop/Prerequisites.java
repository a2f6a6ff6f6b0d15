package org.wgkaraf.testsupport.interop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the interop tests need from the machine. Missing pieces make the tests FAIL (an
 * AssertionError) with a message saying what to install: in CI a silently skipped interop test
 * would look like a passing one.
 */
public final class Prerequisites {
    public static final String INSTALL = "apt-get install -y --no-install-recommends wireguard-go wireguard-tools iproute2 iputils-ping";
    private static final List<String> TOOLS = List.of("wireguard-go", "wg", "ip", "ping");
    /** The Debian package of each tool a test may ask for. */
    private static final Map<String, String> PACKAGES = Map.of("wireguard-go", "wireguard-go", "wg", "wireguard-tools",
            "ip", "iproute2", "ping", "iputils-ping", "setpriv", "util-linux");
    private static volatile List<String> problems;

    private Prerequisites() {
    }

    /** Fails the calling test (use in {@code @BeforeAll}) when anything the interop tests need is missing. */
    public static void check() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new AssertionError("interop tests cannot run on this machine:\n  - " + String.join("\n  - ", p)
                    + "\nThey need root, /dev/net/tun and: " + INSTALL);
        }
    }

    /** For tests that need less than {@link #check()}: fails unless this runs as root with {@code tools} on PATH. */
    public static void checkRoot(String... tools) {
        failUnlessEmpty(find(false, List.of(tools)));
    }

    /** As {@link #checkRoot}, and /dev/net/tun must exist (tests that open TUN devices). */
    public static void checkTun(String... tools) {
        failUnlessEmpty(find(true, List.of(tools)));
    }

    private static void failUnlessEmpty(List<String> p) {
        if (!p.isEmpty()) {
            throw new AssertionError("this test cannot run on this machine:\n  - " + String.join("\n  - ", p));
        }
    }

    public static List<String> problems() {
        List<String> p = problems;
        if (p == null) {
            p = List.copyOf(find(true, TOOLS));
            problems = p;
        }
        return p;
    }

    private static List<String> find(boolean tun, List<String> tools) {
        List<String> out = new ArrayList<>();
        if (!isRoot()) {
            out.add("not running as root: run as root (the tests create network namespaces and TUN devices)");
        }
        for (String tool : tools) {
            if (onPath(tool) == null) {
                out.add("'" + tool + "' is not on PATH: apt-get install -y --no-install-recommends " + PACKAGES.getOrDefault(tool, tool));
            }
        }
        if (tun && !Files.exists(Path.of("/dev/net/tun"))) {
            out.add("/dev/net/tun does not exist: load the tun module (modprobe tun) or give the container the device");
        }
        return out;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && "0".equals(f[1]); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    public static Path onPath(String tool) {
        String path = System.getenv("PATH");
        // Only PATH counts: the harness starts every tool by its name.
        for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
