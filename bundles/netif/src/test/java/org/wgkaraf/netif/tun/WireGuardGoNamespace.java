package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A wireguard-go peer in a network namespace of its own, joined to the root namespace by a veth
 * pair: root end 10.213.N.1, namespace end 10.213.N.2, wireguard-go listening on 10.213.N.2:51820
 * with tunnel address 10.214.N.1/24 and one peer allowed {@code peerAllowedIp}. Every name is
 * {@code prefix} + one letter. {@link #close()} stops wireguard-go and removes the links, the
 * namespace and the key file, also after a partial start.
 *
 * <p>(A small copy of what the engine's interop harness does: its classes are package-private.)
 */
final class WireGuardGoNamespace implements AutoCloseable {
    static final int PORT = 51820;
    static final int MTU = 1420;
    private static final Path UAPI = Path.of("/var/run/wireguard");

    private final String prefix;
    private final int subnet;
    private final Path dir;
    private final String publicKey;
    private Process wireguardGo;
    private boolean closed;

    private WireGuardGoNamespace(String prefix, int subnet) throws IOException {
        this.prefix = prefix;
        this.subnet = subnet;
        this.dir = Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String privateKey = Commands.run("wg", "genkey").stdout().strip();
        Files.writeString(keyFile(), privateKey + "\n", StandardCharsets.US_ASCII);
        this.publicKey = Commands.tryRun(privateKey + "\n", Commands.TIMEOUT, List.of("wg", "pubkey")).orThrow().stdout().strip();
    }

    /** Builds it all; removes what it made if a step fails. */
    static WireGuardGoNamespace start(String prefix, int subnet, String peerPublicKey, String peerAllowedIp) throws IOException {
        WireGuardGoNamespace w = new WireGuardGoNamespace(prefix, subnet);
        try {
            w.build(peerPublicKey, peerAllowedIp);
        } catch (RuntimeException | IOException e) {
            try {
                w.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return w;
    }

    private void build(String peerPublicKey, String peerAllowedIp) throws IOException {
        Commands.run("ip", "netns", "add", ns());
        exec("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; true");
        Commands.run("ip", "link", "add", rootIf(), "type", "veth", "peer", "name", nsIf(), "netns", ns());
        Commands.run("ip", "addr", "add", "10.213." + subnet + ".1/24", "dev", rootIf());
        Commands.run("ip", "link", "set", rootIf(), "up");
        Commands.run("ip", "-n", ns(), "addr", "add", outerAddress() + "/24", "dev", nsIf());
        Commands.run("ip", "-n", ns(), "link", "set", nsIf(), "up");
        Commands.run("ip", "-n", ns(), "link", "set", "lo", "up");

        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns(), "wireguard-go", wgIf());
        pb.environment().put("WG_PROCESS_FOREGROUND", "1");
        pb.environment().put("LOG_LEVEL", "error");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("wireguard-go.log").toFile()));
        wireguardGo = pb.start();
        Await.until("wireguard-go made " + wgIf() + " and its UAPI socket", Duration.ofSeconds(10),
                () -> !wireguardGo.isAlive() || Files.exists(UAPI.resolve(wgIf() + ".sock"))
                        && Commands.tryRun("ip", "-n", ns(), "link", "show", wgIf()).ok());
        if (!wireguardGo.isAlive()) {
            throw new IllegalStateException("wireguard-go exited with " + wireguardGo.exitValue() + ": " + log());
        }
        exec("wg", "set", wgIf(), "private-key", keyFile().toString(), "listen-port", String.valueOf(PORT),
                "peer", peerPublicKey, "allowed-ips", peerAllowedIp);
        Commands.run("ip", "-n", ns(), "addr", "add", tunnelAddress() + "/24", "dev", wgIf());
        Commands.run("ip", "-n", ns(), "link", "set", wgIf(), "mtu", String.valueOf(MTU), "up");
    }

    String ns() {
        return prefix + "n";
    }

    private String rootIf() {
        return prefix + "r";
    }

    private String nsIf() {
        return prefix + "p";
    }

    String wgIf() {
        return prefix + "w";
    }

    private Path keyFile() {
        return dir.resolve("wg.key");
    }

    String publicKey() {
        return publicKey;
    }

    /** 10.213.N.2, where wireguard-go listens. */
    String outerAddress() {
        return "10.213." + subnet + ".2";
    }

    /** 10.214.N.1, wireguard-go's tunnel address. */
    String tunnelAddress() {
        return "10.214." + subnet + ".1";
    }

    /** Runs a command inside the namespace; throws on a non-zero exit. */
    Commands.Result exec(String... argv) {
        return execTry(Commands.TIMEOUT, argv).orThrow();
    }

    Commands.Result execTry(Duration timeout, String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns()));
        full.addAll(List.of(argv));
        return Commands.tryRun(null, timeout, full);
    }

    String log() {
        try {
            Path p = dir.resolve("wireguard-go.log");
            return Files.exists(p) ? Files.readString(p) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** wireguard-go's view of its peer, without key material ({@code wg show} prints no private key). */
    String show() {
        return execTry(Commands.TIMEOUT, "wg", "show", wgIf()).stdout();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        if (wireguardGo != null) {
            wireguardGo.destroy();
            try {
                if (!wireguardGo.waitFor(5, TimeUnit.SECONDS)) {
                    wireguardGo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Files.deleteIfExists(UAPI.resolve(wgIf() + ".sock"));
            } catch (IOException e) {
                failures.add(new UncheckedIOException(e));
            }
        }
        delete(failures, "ip", "link", "del", rootIf());
        delete(failures, "ip", "netns", "del", ns());
        try {
            Path key = keyFile();
            if (Files.exists(key)) {
                Files.write(key, new byte[(int) Files.size(key)]); // overwrite the key before unlinking
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            failures.add(new UncheckedIOException(e));
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void delete(List<RuntimeException> failures, String... argv) {
        Commands.Result r = Commands.tryRun(argv);
        String err = r.stderr().toLowerCase(Locale.ROOT);
        if (!r.ok() && !err.contains("cannot find device") && !err.contains("no such file") && !err.contains("does not exist")) {
            failures.add(new IllegalStateException("`" + String.join(" ", argv) + "` failed: " + r.stderr().strip()));
        }
    }

    /** Nothing named {@code prefix}* is left: namespace, links, UAPI socket. */
    static List<String> leftovers(String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : Commands.run("ip", "netns", "list").stdout().split("\n")) {
            if (line.startsWith(prefix)) {
                out.add("namespace " + line.trim());
            }
        }
        for (String line : Commands.run("ip", "-o", "link", "show").stdout().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1 && f[1].startsWith(prefix)) {
                out.add("link " + f[1]);
            }
        }
        try (var s = Files.list(UAPI)) {
            s.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> out.add("UAPI socket " + p));
        } catch (IOException e) {
            // no UAPI directory: nothing left there
        }
        return out;
    }
}
