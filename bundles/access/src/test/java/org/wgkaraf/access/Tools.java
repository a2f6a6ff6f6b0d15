package org.wgkaraf.access;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The OpenSSH and curl programs the tests drive, and running them with a deadline. */
public final class Tools {
    private Tools() {
    }

    /** Fails (never skips) when a program is missing, saying what to install. */
    public static void require(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        fail(program + " is not installed: these tests drive the real OpenSSH and curl clients."
                + " Install them with: apt-get install openssh-client curl");
    }

    /** A finished program: its exit code, standard output and standard error. */
    public record Result(int exit, byte[] out, String err) {
        public String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stdout " + out.length + " bytes, stderr: " + err;
        }
    }

    /** Runs a program with standard input from /dev/null and waits for it, killing it after {@code timeout}. */
    public static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".bin");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            fail(command.get(0) + " did not finish within " + timeout.toSeconds() + " s: " + command
                    + "\nstderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    public static Result run(List<String> command, Path workDir, Duration timeout) throws IOException, InterruptedException {
        return run(command, Map.of(), workDir, timeout);
    }
}
