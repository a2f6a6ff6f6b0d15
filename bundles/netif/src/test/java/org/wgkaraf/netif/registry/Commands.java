package org.wgkaraf.netif.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the commands that build the interop tests' namespaces; a failure quotes the command and its output. */
final class Commands {
    private static final long TIMEOUT_SECONDS = 20;

    /** What a finished command left. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Commands() {
    }

    /** Runs and throws unless the command exits 0. */
    static String run(String... argv) {
        Result r = tryRun(argv);
        if (!r.ok()) {
            throw new IllegalStateException("`" + String.join(" ", argv) + "` exited with " + r.exitCode()
                    + "\n  stdout: " + r.stdout().strip() + "\n  stderr: " + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Runs and returns whatever the command did; throws only when it cannot start or does not finish. */
    static Result tryRun(String... argv) {
        Process p;
        try {
            p = new ProcessBuilder(List.of(argv)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start `" + String.join(" ", argv) + "`: " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = pump(p.getInputStream(), out);
        Thread errPump = pump(p.getErrorStream(), err);
        try {
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", argv) + "` did not finish in " + TIMEOUT_SECONDS + " s");
            }
            outPump.join(5000);
            errPump.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", argv) + "`", e);
        }
        return new Result(p.exitValue(), text(out), text(err));
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
            } catch (IOException e) {
                // The process went away: what was read is kept.
            }
        }, "command-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
