package org.wgkaraf.netif.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link RegistryChild} JVM inside the lab's host namespace, on this JVM's class path. Its
 * stdout lines are collected as they come; stderr (its log) is kept for failure messages.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private int statuses;

    private ChildJvm(Process process) {
        this.process = process;
        collect(process.getInputStream(), "child-stdout", line -> {
            synchronized (lines) {
                lines.add(line);
            }
        });
        collect(process.getErrorStream(), "child-stderr", line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        });
    }

    /** Starts the child in the lab's host namespace, polling every {@code poll}; returns once it says "started". */
    static ChildJvm start(HostLab lab, Duration poll) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = lab.inHost(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RegistryChild.class.getName(), Long.toString(poll.toMillis())));
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv.subList(0, 5), e);
        }
        ChildJvm child = new ChildJvm(p);
        try {
            child.await("the child registry has started", Duration.ofSeconds(30), "started"::equals);
        } catch (RuntimeException | AssertionError e) {
            child.close();
            throw e;
        }
        return child;
    }

    private static void collect(InputStream stream, String name, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The child went away.
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    void send(String command) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to the child registry:\n" + diagnostics(), e);
        }
    }

    /** Asks for a status and returns its lines (without "end"). */
    List<String> status() {
        int n = ++statuses;
        send("status");
        await("status " + n, Duration.ofSeconds(10), ("end " + n)::equals);
        synchronized (lines) {
            int end = lines.indexOf("end " + n);
            int start = end;
            while (start > 0 && !lines.get(start - 1).startsWith("end ") && !lines.get(start - 1).equals("started")) {
                start--;
            }
            return lines.subList(start, end).stream().filter(l -> !l.startsWith("event ")).toList();
        }
    }

    /** The event lines so far, in order. */
    List<String> events() {
        return lines().stream().filter(l -> l.startsWith("event ")).toList();
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits until a line matching {@code line} has come. */
    void await(String what, Duration timeout, Predicate<String> line) {
        Waiting.until(what, timeout, () -> lines().stream().anyMatch(line), this::diagnostics);
    }

    /** Sends quit and waits for the child to exit; returns its last line. */
    String quit() {
        send("quit");
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the child registry did not exit after quit\n" + diagnostics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        Waiting.until("the child's last line is read", Duration.ofSeconds(5),
                () -> lines().stream().anyMatch(l -> l.startsWith("closed ")), this::diagnostics);
        List<String> all = lines();
        return all.get(all.size() - 1);
    }

    int exitCode() {
        return process.exitValue();
    }

    String diagnostics() {
        synchronized (stderr) {
            return "child stdout:\n  " + String.join("\n  ", lines()) + "\nchild stderr:\n  " + stderr.toString().strip();
        }
    }

    /** Kills the child if it still runs, and waits for it to be gone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
