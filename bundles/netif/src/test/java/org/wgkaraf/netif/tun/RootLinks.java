package org.wgkaraf.netif.tun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Shell;

/** The TUN interfaces the tests make in the root namespace: whether one exists, that it went, removing a leftover. */
final class RootLinks {
    private RootLinks() {
    }

    static boolean exists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    /** Fails unless the interface is gone within a few seconds. */
    static void assertGone(String name) {
        Await.until("interface " + name + " is gone", Duration.ofSeconds(5), () -> !exists(name),
                () -> Shell.cmd("ip", "link", "show", name).tryRun().stdout());
    }

    /** Removes the interface if a failed test left it (a device not closed); tolerates its absence. */
    static void removeQuietly(String name) {
        if (exists(name)) {
            Shell.cmd("ip", "link", "del", name).tryRun();
        }
    }
}
