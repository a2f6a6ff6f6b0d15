package org.wgkaraf.access;

import java.util.List;
import org.wgkaraf.testsupport.Await;

/** The live threads whose names start with a prefix. */
public final class Threads {
    private Threads() {
    }

    public static List<String> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .sorted()
                .toList();
    }

    /** Waits until no thread of the bundle (named {@code wgkaraf-ssh…} or {@code wgkaraf-socks…}) is left. */
    public static void awaitNoneOfTheBundle() {
        Await.until("no wgkaraf-ssh/wgkaraf-socks thread left", java.time.Duration.ofSeconds(10),
                () -> named("wgkaraf-ssh").isEmpty() && named("wgkaraf-socks").isEmpty(),
                () -> "left: " + named("wgkaraf-ssh") + named("wgkaraf-socks"));
    }
}
