package org.wgkaraf.testsupport.interop;

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
import org.wgkaraf.testsupport.Await;

/**
 * A Java program in a child JVM inside a network namespace, on this JVM's class path: for what a
 * test cannot do from the root namespace (a socket bound to an address of the namespace, a probe
 * that reads the namespace of its own process). Its stdout lines are collected as they come,
 * stderr is kept for failure messages, and stdin takes the test's commands.
 */
public final class NamespaceJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private volatile boolean stdoutEnded;

    private NamespaceJvm(Process process) {
        this.process = process;
        collect(process.getInputStream(), "namespace-jvm-stdout", line -> {
            synchronized (lines) {
                lines.add(line);
            }
        }, () -> stdoutEnded = true);
        collect(process.getErrorStream(), "namespace-jvm-stderr", line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        }, () -> { });
    }

    /**
     * Starts {@code mainClass} with {@code args} in {@code namespace}.
     *
     * @param jvmOptions options before the class path, e.g. {@code -Xmx64m}
     */
    public static NamespaceJvm start(String namespace, List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        argv.addAll(args);
        try {
            return new NamespaceJvm(new ProcessBuilder(Shell.inNamespace(namespace, argv)).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass.getSimpleName() + " in " + namespace + ": " + e.getMessage(), e);
        }
    }

    private static void collect(InputStream stream, String threadName, Consumer<String> sink, Runnable atEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The child went away; what was read is kept.
            } finally {
                atEnd.run();
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    /** Writes one line to the child's stdin. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the child JVM:\n" + diagnostics(), e);
        }
    }

    /** The stdout lines so far, in order. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits until a line matching {@code line} has come; fails with the child's output otherwise. */
    public void awaitLine(String what, Duration timeout, Predicate<String> line) {
        Await.until(what, timeout, () -> lines().stream().anyMatch(line), this::diagnostics);
    }

    /** The first stdout line, once it came; {@code null} when the child ended without printing one. */
    public String firstLine(Duration timeout) {
        Await.until("the child JVM printed a line or ended", timeout, () -> !lines().isEmpty() || stdoutEnded, this::diagnostics);
        List<String> all = lines();
        return all.isEmpty() ? null : all.get(0);
    }

    /** Waits for the child to exit; {@code false} if it still runs after {@code timeout}. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child JVM", e);
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** What the child printed on stdout and stderr, for failure messages. */
    public String diagnostics() {
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
