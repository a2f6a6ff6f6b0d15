package org.wgkaraf.testsupport.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a timeout and captures its output. A non-zero exit becomes an
 * exception quoting the command, stdout and stderr, except for output marked secret (key material).
 */
public final class Shell {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** What a finished command left behind. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode;
        }
    }

    private Shell() {
    }

    public static Command cmd(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command cmd(List<String> argv) {
        return new Command(List.copyOf(argv));
    }

    /** Shorthand: runs the command with the default timeout and throws on a non-zero exit. */
    public static Result run(String... argv) {
        return cmd(argv).run();
    }

    /** A command that runs {@code argv} inside the network namespace {@code namespace}. */
    public static Command inNamespace(String namespace, String... argv) {
        return cmd(inNamespace(namespace, List.of(argv)));
    }

    /** The command line that runs {@code argv} inside {@code namespace}, for callers that start the process themselves. */
    public static List<String> inNamespace(String namespace, List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(argv);
        return full;
    }

    /** A command being prepared. */
    public static final class Command {
        private final List<String> argv;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration timeout = DEFAULT_TIMEOUT;
        private String stdin;
        private boolean secretOutput;

        private Command(List<String> argv) {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            this.argv = argv;
        }

        public Command timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public Command env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Text written to the command's standard input; never quoted in messages. */
        public Command stdin(String text) {
            this.stdin = text;
            return this;
        }

        /** The output may hold key material: leave stdout out of every message. */
        public Command secretOutput() {
            this.secretOutput = true;
            return this;
        }

        /** Runs and throws when the command exits non-zero or times out. */
        public Result run() {
            Result r = tryRun();
            if (!r.ok()) {
                throw new IllegalStateException(describe(r, "exited with " + r.exitCode()));
            }
            return r;
        }

        /** Runs and returns whatever exit code the command had; throws only on a timeout. */
        public Result tryRun() {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start `" + String.join(" ", argv) + "`: " + e.getMessage(), e);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outPump = pump(p.getInputStream(), out);
            Thread errPump = pump(p.getErrorStream(), err);
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The command may exit without reading its input; its exit code tells the rest.
            }
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    outPump.join(1000);
                    errPump.join(1000);
                    Result partial = new Result(-1, text(out), text(err));
                    throw new IllegalStateException(describe(partial, "timed out after " + timeout.toMillis() + " ms"));
                }
                outPump.join(5000);
                errPump.join(5000);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running `" + String.join(" ", argv) + "`", e);
            }
            return new Result(p.exitValue(), text(out), text(err));
        }

        private String describe(Result r, String what) {
            String stdout = secretOutput ? "(not shown: may hold key material)" : r.stdout().strip();
            return "`" + String.join(" ", argv) + "` " + what
                    + "\n  stdout: " + stdout
                    + "\n  stderr: " + r.stderr().strip();
        }

        @Override
        public String toString() {
            return String.join(" ", argv);
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
            } catch (IOException e) {
                // The process went away; what was read so far is kept.
            }
        }, "shell-pump");
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
