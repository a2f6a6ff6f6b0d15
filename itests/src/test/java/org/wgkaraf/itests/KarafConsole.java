package org.wgkaraf.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One interactive console session held open, as a person at a terminal has it: OpenSSH's
 * {@code ssh} with a terminal ({@code -tt}), logged in with a key, typing commands into Karaf's
 * shell and reading what the shell prints. A command is proven to have run by a line of output
 * that its own echo cannot contain (the shell echoes what is typed).
 */
final class KarafConsole implements AutoCloseable {
    private static final Pattern ESCAPES = Pattern.compile("\u001B(\\[[0-9;?]*[ -/]*[@-~]|[=>()][0-9A-Za-z]?|\\][^\u0007]*\u0007)|[\b\r]");
    private static Path key;

    private final Process ssh;
    private final OutputStream in;
    private final StringBuilder screen = new StringBuilder();
    private final Thread reader;
    private int consumed;

    /** A key pair made once per test JVM (ecdsa: understood by Karaf's SSH server and OpenSSH alike). */
    static synchronized Path privateKey() throws IOException {
        if (key == null) {
            if (TestNetwork.run(List.of("sh", "-c", "command -v ssh && command -v ssh-keygen")).exitCode() != 0) {
                throw new IllegalStateException("OpenSSH's client is missing: apt-get install -y openssh-client");
            }
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-key");
            key = dir.resolve("id_ecdsa");
            TestNetwork.must("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString());
        }
        return key;
    }

    static Path publicKey() throws IOException {
        return Path.of(privateKey() + ".pub");
    }

    /** Logs in as {@code user} on {@code host:port}; returns once the shell has printed its prompt. */
    KarafConsole(String user, String host, int port) throws IOException, InterruptedException {
        this(List.of(), user, host, port);
    }

    /**
     * The same from another place: {@code prefix} runs ssh there, e.g. {@code ip netns exec <ns>}
     * for a host of the private network.
     */
    KarafConsole(List<String> prefix, String user, String host, int port) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("ssh", "-tt", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ServerAliveInterval=5", "-i", privateKey().toString(),
                "-p", Integer.toString(port), user + "@" + host));
        ssh = new ProcessBuilder(argv).redirectErrorStream(true).start();
        in = ssh.getOutputStream();
        InputStream out = ssh.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = out.read(buf)) > 0; ) {
                    String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                    synchronized (screen) {
                        screen.append(s);
                        screen.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the session ended
            }
            synchronized (screen) {
                screen.notifyAll();
            }
        }, "console-reader");
        reader.setDaemon(true);
        reader.start();
        awaitText("@root()>", Duration.ofSeconds(60));
    }

    /** Whether the ssh process still runs: false once the server closed the session. */
    boolean open() {
        return ssh.isAlive();
    }

    /** Types a line. */
    void type(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Types {@code command} and waits for a line of output matching {@code line} (a regex, matched
     * against whole lines with the terminal's escapes removed) after what was read so far.
     *
     * @return everything printed from the command to the matching line
     */
    String run(String command, String line, Duration timeout) throws IOException, InterruptedException {
        synchronized (screen) {
            consumed = screen.length();
        }
        type(command);
        return awaitLine(Pattern.compile("(?m)^" + line + "$"), timeout);
    }

    /** Whether the session answers: a marker printed by {@code echo} comes back. */
    boolean answers(Duration timeout) {
        String marker = "alive-" + System.nanoTime();
        try {
            // echo's output is the word alone on its line; the typed line has "echo " before it.
            run("echo " + marker, Pattern.quote(marker), timeout);
            return true;
        } catch (AssertionError | IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitText(String text, Duration timeout) throws InterruptedException {
        awaitLine(Pattern.compile(".*" + Pattern.quote(text) + ".*"), timeout);
    }

    private String awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (screen) {
            while (true) {
                String seen = clean(screen.substring(consumed));
                var m = pattern.matcher(seen);
                if (m.find()) {
                    return seen.substring(0, m.end());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!ssh.isAlive() && !reader.isAlive())) {
                    throw new AssertionError((ssh.isAlive() ? "no line matching " + pattern + " within " + timeout
                            : "the console session ended") + "; the session printed:\n" + seen);
                }
                screen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    static String clean(String s) {
        return ESCAPES.matcher(s).replaceAll("");
    }

    @Override
    public void close() throws InterruptedException {
        try {
            type("logout");
        } catch (IOException e) {
            // gone already
        }
        if (!ssh.waitFor(10, TimeUnit.SECONDS)) {
            ssh.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
