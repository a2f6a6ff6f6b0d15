package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the TUN tests need from the machine. A missing piece FAILS the tests, saying what to install:
 * a skipped test would look like a passing one.
 */
final class TunPrerequisites {
    static final String INSTALL = "apt-get install -y --no-install-recommends iproute2 iputils-ping util-linux wireguard-go wireguard-tools";

    private TunPrerequisites() {
    }

    /** Fails the calling test class (from {@code @BeforeAll}) unless it runs as root with /dev/net/tun and {@code tools}. */
    static void check(String... tools) {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("not running as root: the tests create TUN interfaces and network namespaces");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            problems.add("/dev/net/tun does not exist: modprobe tun, or give the container the device");
        }
        List<String> all = new ArrayList<>(List.of("ip", "setpriv"));
        all.addAll(List.of(tools));
        for (String tool : all) {
            if (!onPath(tool)) {
                problems.add("'" + tool + "' is not on PATH: " + INSTALL);
            }
        }
        if (!problems.isEmpty()) {
            fail("the TUN tests cannot run on this machine:\n  - " + String.join("\n  - ", problems));
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && "0".equals(f[1]);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
