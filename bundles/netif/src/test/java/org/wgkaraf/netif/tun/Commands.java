package org.wgkaraf.netif.tun;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external tools the TUN tests inspect the OS with ({@code ip}, {@code ping}, {@code wg}, a child {@code java}). */
final class Commands {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException("`" + String.join(" ", argv) + "` exited with " + exitCode
                        + "\n  stdout: " + stdout.strip() + "\n  stderr: " + stderr.strip());
            }
            return this;
        }
    }

    private Commands() {
    }

    /** Runs and throws on a non-zero exit. */
    static Result run(String... argv) {
        return tryRun(null, TIMEOUT, List.of(argv)).orThrow();
    }

    static Result tryRun(String... argv) {
        return tryRun(null, TIMEOUT, List.of(argv));
    }

    /**
     * Runs with {@code stdin} (may be {@code null}) and returns whatever exit code came; throws on a
     * timeout. Output that may hold key material must not be quoted by the caller.
     */
    static Result tryRun(String stdin, Duration timeout, List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start `" + String.join(" ", argv) + "`: " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the command may exit without reading its input; its exit code tells the rest
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("`" + String.join(" ", argv) + "` timed out after " + timeout.toMillis() + " ms");
            }
            o.join(5000);
            e.join(5000);
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", argv) + "`", ex);
        }
        synchronized (out) {
            synchronized (err) {
                return new Result(List.copyOf(argv), p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }, "tun-test-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
