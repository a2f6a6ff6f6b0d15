package org.wgkaraf.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.wgkaraf.testsupport.Await;

/**
 * A Karaf unpacked from its archive and run as a user runs it: {@code bin/karaf server} in the
 * foreground of a child process (so the test knows exactly when it has exited), {@code bin/client}
 * for commands, {@code bin/stop}. Either the wgkaraf distribution or a stock Karaf.
 */
final class KarafInstallation implements AutoCloseable {
    final Path home;
    final int sshPort;
    final int rmiRegistryPort;
    private Process process;
    /** A folder of /tmp that holds this installation only, removed by {@link #close}. */
    private Path removeOnClose;

    private KarafInstallation(Path home, int sshPort, int rmiRegistryPort) {
        this.home = home;
        this.sshPort = sshPort;
        this.rmiRegistryPort = rmiRegistryPort;
    }

    /**
     * Unpacks {@code archive} (a Karaf .tar.gz) under target/{@code name}-pid and gives it free
     * SSH and JMX ports, so that runs and classes never meet.
     */
    static KarafInstallation unpack(String archive, String name) throws IOException {
        return unpack(archive, Path.of("target", name + "-" + ProcessHandle.current().pid()).toAbsolutePath());
    }

    /**
     * Unpacks for {@link #runAsNobody}: under target/ when user nobody can reach it, else (a build
     * tree below a folder only root may enter, such as a {@code mktemp -d} folder) under a new
     * folder in /tmp, which {@link #close} removes.
     */
    static KarafInstallation unpackForNobody(String archive, String name) throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        if (everyoneMayEnter(target)) {
            return unpack(archive, name);
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "wgkit-" + name + "-");
        KarafInstallation k = unpack(archive, dir);
        k.removeOnClose = dir;
        return k;
    }

    private static boolean everyoneMayEnter(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static KarafInstallation unpack(String archive, Path dir) throws IOException {
        Files.createDirectories(dir);
        TestNetwork.must("tar", "xzf", archive, "-C", dir.toString());
        Path home;
        try (var s = Files.list(dir)) {
            home = s.filter(Files::isDirectory).findFirst().orElseThrow(() -> new IOException("nothing unpacked from " + archive));
        }
        KarafInstallation k = new KarafInstallation(home, KarafTestSupport.freePort(), KarafTestSupport.freePort());
        k.replaceProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(k.sshPort));
        k.replaceProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(k.rmiRegistryPort));
        k.replaceProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(KarafTestSupport.freePort()));
        return k;
    }

    /** Sets {@code key = value} in a properties file of the installation, replacing the line that sets it. */
    void replaceProperty(String file, String key, String value) throws IOException {
        Path f = home.resolve(file);
        String text = Files.readString(f);
        String line = key + " = " + value;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(key)
                + "\\s*=.*(\\\\\\R.*)*$").matcher(text);
        text = m.find() ? text.substring(0, m.start()) + line + text.substring(m.end()) : text + "\n" + line + "\n";
        Files.writeString(f, text);
    }

    Path file(String relative) {
        return home.resolve(relative);
    }

    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The Karaf JVM's pid: a child of bin/karaf, which runs it without exec in server mode. */
    long pid() {
        return process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no Karaf JVM under bin/karaf (pid " + process.pid() + ")"));
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** The user Karaf runs as, when not this process's: {@link #runAsNobody}. */
    private boolean asNobody;

    /**
     * Runs Karaf as the unprivileged user {@code nobody} from now on, as a module that is not
     * root does: the installation is handed to that user, and Karaf is started through
     * {@code setpriv} with no capability and no supplementary group.
     */
    void runAsNobody() {
        TestNetwork.must("chown", "-R", "65534:65534", home.getParent().toString());
        asNobody = true;
    }

    /** bin/karaf server, then waits until {@code ready} answers (through bin/client). */
    void start(String readyCommand, Predicate<String> ready, String... extraArgs) throws InterruptedException {
        try {
            List<String> argv = new ArrayList<>();
            argv.add(home.resolve("bin/karaf").toString());
            argv.addAll(List.of(extraArgs));
            argv.add("server");
            // Started from its own folder: bin/karaf changes back to the working directory, which
            // user nobody may not enter when it is the build's.
            ProcessBuilder pb = new ProcessBuilder(asKarafsUser(argv)).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("karaf.out").toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            if (asNobody) {
                pb.environment().put("HOME", home.toString());
            }
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Karaf: " + e.getMessage(), e);
        }
        await(readyCommand, ready, 180);
    }

    /** bin/stop, then the process must be gone; a thread dump says why if it is not. */
    void stop() throws InterruptedException {
        if (!running()) {
            return;
        }
        bin("stop");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            String dump = TestNetwork.run(List.of(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(process.pid()))).output();
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Karaf did not exit within 60 s of bin/stop:\n" + dump);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (running()) {
                try {
                    stop();
                } finally {
                    if (process.isAlive()) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        } finally {
            if (removeOnClose != null) {
                // The logs stay in target/, where a failure message can point.
                Path logs = Path.of("target", removeOnClose.getFileName() + "-logs").toAbsolutePath();
                TestNetwork.run(List.of("mkdir", "-p", logs.toString()));
                TestNetwork.run(List.of("cp", "-r", home.resolve("karaf.out").toString(), home.resolve("data/log").toString(),
                        logs.toString()));
                TestNetwork.run(List.of("rm", "-rf", removeOnClose.toString()));
            }
        }
    }

    /** The command line that runs {@code argv} as Karaf's user: nobody after {@link #runAsNobody}. */
    private List<String> asKarafsUser(List<String> argv) {
        if (!asNobody) {
            return argv;
        }
        List<String> l = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--"));
        l.addAll(argv);
        return l;
    }

    /**
     * Runs a script of bin/ as Karaf's own user, as on a module: bin/client as root could make
     * etc/users.properties itself, owned by root, before Karaf (as nobody) had made it, and Karaf
     * could then not read its own users.
     */
    TestNetwork.Result bin(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(home.resolve("bin").resolve(args[0]).toString());
        argv.addAll(List.of(args).subList(1, args.length));
        try {
            // Started from its own folder: bin/karaf changes back to the working directory, which
            // user nobody may not enter when it is the build's.
            ProcessBuilder pb = new ProcessBuilder(asKarafsUser(argv)).directory(home.toFile()).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            if (asNobody) {
                pb.environment().put("HOME", home.toString());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new TestNetwork.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new TestNetwork.Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TestNetwork.Result(-1, "interrupted");
        }
    }

    /**
     * Runs the lines through bin/client as a script, as a user with a script would. No
     * credentials: bin/client takes the first user of etc/users.properties, as a user's does.
     */
    String client(String... lines) {
        try {
            Path f = Files.createTempFile(home, "cmds", ".txt");
            Files.writeString(f, String.join("\n", lines) + "\n");
            if (asNobody) {
                TestNetwork.must("chown", "65534:65534", f.toString());
            }
            try {
                return bin("client", "-a", Integer.toString(sshPort), "-r", "3", "-d", "2", "-b", "-f", f.toString()).output()
                        .replaceAll("(?m)^client: JAVA_HOME not set.*\\R", "");
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /**
     * Runs {@code command} until its output satisfies {@code condition}; that output. Half a second
     * between two runs: each starts bin/client, a JVM.
     */
    String await(String command, Predicate<String> condition, long seconds) {
        return Await.every(Duration.ofMillis(500)).value("'" + command + "' shows what was awaited", Duration.ofSeconds(seconds),
                () -> client(command), out -> {
                    if (condition.test(out)) {
                        return true;
                    }
                    if (process != null && !process.isAlive()) {
                        throw new AssertionError("Karaf exited while waiting for '" + command + "'; see " + home.resolve("karaf.out")
                                + (removeOnClose == null ? "" : " (copied to target/" + removeOnClose.getFileName() + "-logs)")
                                + ":\n" + tail(home.resolve("karaf.out")));
                    }
                    return false;
                });
    }

    /**
     * Authorizes {@code key} (an OpenSSH public key file) for {@code user} in etc/keys.properties,
     * in the admin group: the README's way to log in with a key.
     */
    void authorizeKey(String user, Path publicKey) throws IOException {
        String blob = Files.readString(publicKey).strip().split("\\s+")[1];
        Path keys = home.resolve("etc/keys.properties");
        Files.writeString(keys, Files.readString(keys) + "\n" + user + " = " + blob + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
    }
}
