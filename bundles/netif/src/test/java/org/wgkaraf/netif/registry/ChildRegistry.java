package org.wgkaraf.netif.registry;

import java.time.Duration;
import java.util.List;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.IsolatedNetns;
import org.wgkaraf.testsupport.interop.NamespaceJvm;

/**
 * A {@link RegistryChild} in a child JVM inside a namespace, driven through its line protocol:
 * status blocks, events, quit.
 */
final class ChildRegistry implements AutoCloseable {
    private final NamespaceJvm jvm;
    private int statuses;

    private ChildRegistry(NamespaceJvm jvm) {
        this.jvm = jvm;
    }

    /** Starts the child in {@code host}, polling every {@code poll}; returns once it says "started". */
    static ChildRegistry start(IsolatedNetns host, Duration poll) {
        NamespaceJvm jvm = NamespaceJvm.start(host.name(), List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                RegistryChild.class, List.of(Long.toString(poll.toMillis())));
        try {
            jvm.awaitLine("the child registry has started", Duration.ofSeconds(30), "started"::equals);
        } catch (RuntimeException | AssertionError e) {
            jvm.close();
            throw e;
        }
        return new ChildRegistry(jvm);
    }

    /** Asks for a status and returns its lines (without "end"). */
    List<String> status() {
        int n = ++statuses;
        jvm.send("status");
        jvm.awaitLine("status " + n, Duration.ofSeconds(10), ("end " + n)::equals);
        List<String> lines = jvm.lines();
        int end = lines.indexOf("end " + n);
        int start = end;
        while (start > 0 && !lines.get(start - 1).startsWith("end ") && !lines.get(start - 1).equals("started")) {
            start--;
        }
        return lines.subList(start, end).stream().filter(l -> !l.startsWith("event ")).toList();
    }

    /** The event lines so far, in order. */
    List<String> events() {
        return jvm.lines().stream().filter(l -> l.startsWith("event ")).toList();
    }

    /** Sends quit and waits for the child to exit; returns its last line. */
    String quit() {
        jvm.send("quit");
        if (!jvm.waitFor(Duration.ofSeconds(20))) {
            throw new AssertionError("the child registry did not exit after quit\n" + diagnostics());
        }
        Await.until("the child's last line is read", Duration.ofSeconds(5),
                () -> jvm.lines().stream().anyMatch(l -> l.startsWith("closed ")), this::diagnostics);
        List<String> all = jvm.lines();
        return all.get(all.size() - 1);
    }

    int exitCode() {
        return jvm.exitCode();
    }

    String diagnostics() {
        return jvm.diagnostics();
    }

    /** Kills the child if it still runs, and waits for it to be gone. */
    @Override
    public void close() {
        jvm.close();
    }
}
