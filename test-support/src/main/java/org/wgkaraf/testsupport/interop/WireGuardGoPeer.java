package org.wgkaraf.testsupport.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wgkaraf.testsupport.Await;

/**
 * A wireguard-go process serving one interface inside a {@link Netns}, configured with {@code wg}.
 * It runs in the foreground ({@code WG_PROCESS_FOREGROUND=1}) as a child of the test JVM, so the
 * harness holds its {@link Process} and stops it for sure. {@link #stop()} and {@link #start()}
 * restart it with the same keys, port, address and peers (dead-peer tests).
 */
public final class WireGuardGoPeer implements AutoCloseable {
    public static final int MTU = 1420;
    private static final Path UAPI_DIR = Path.of("/var/run/wireguard");
    private static final Pattern RECEIVED = Pattern.compile("(\\d+) (?:packets )?received");
    /** wireguard-go's LOG_LEVEL: verbose logs say why a handshake failed; -Dwgk.interop.wglog=error quiets them. */
    private static final String LOG_LEVEL = System.getProperty("wgk.interop.wglog", "verbose");

    /**
     * One peer as {@code wg set} takes it.
     *
     * @param presharedKey        base64, or {@code null}
     * @param endpoint            "ip:port", or {@code null} to let wireguard-go learn it
     * @param persistentKeepalive seconds, 0 = off
     */
    public record PeerSpec(String publicKey, String presharedKey, List<String> allowedIps, String endpoint, int persistentKeepalive) {
        public PeerSpec {
            allowedIps = List.copyOf(allowedIps);
        }

        public PeerSpec withEndpoint(String newEndpoint) {
            return new PeerSpec(publicKey, presharedKey, allowedIps, newEndpoint, persistentKeepalive);
        }

        @Override
        public String toString() {
            return "PeerSpec[" + publicKey + ", psk=" + (presharedKey != null) + ", allowed=" + allowedIps
                    + ", endpoint=" + endpoint + ", keepalive=" + persistentKeepalive + "]";
        }
    }

    private final Netns ns;
    private final String ifName;
    private final String publicKey;
    private final int listenPort;
    private final String tunnelCidr;
    private final Path dir;
    private final Path privateKeyFile;
    private final Path log;
    private final Map<String, PeerSpec> peers = new LinkedHashMap<>();
    private Process process;

    /**
     * @param tunnelCidr the interface address with its prefix, e.g. 10.214.N.1/24
     * @param dir        a private (0700) directory for the key files and the log
     */
    public WireGuardGoPeer(Netns ns, String ifName, WgKeys.KeyPair keys, int listenPort, String tunnelCidr, List<PeerSpec> peers, Path dir) {
        this.ns = ns;
        this.ifName = ifName;
        this.publicKey = keys.publicKey();
        this.listenPort = listenPort;
        this.tunnelCidr = tunnelCidr;
        this.dir = dir;
        this.privateKeyFile = dir.resolve(ifName + ".key");
        this.log = dir.resolve(ifName + ".log");
        KeyFiles.write(privateKeyFile, keys.privateKey());
        peers.forEach(p -> this.peers.put(p.publicKey(), p));
    }

    public String ifName() {
        return ifName;
    }

    public String publicKey() {
        return publicKey;
    }

    public int listenPort() {
        return listenPort;
    }

    public Netns netns() {
        return ns;
    }

    /** The tunnel address without its prefix length. */
    public String tunnelAddress() {
        return tunnelCidr.substring(0, tunnelCidr.indexOf('/'));
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path uapiSocket() {
        return UAPI_DIR.resolve(ifName + ".sock");
    }

    /** Starts wireguard-go, waits for its interface and UAPI socket, then configures and raises it. */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException(ifName + " is running already");
        }
        ProcessBuilder pb = new ProcessBuilder(Shell.inNamespace(ns.name(), List.of("wireguard-go", ifName)));
        pb.environment().put("WG_PROCESS_FOREGROUND", "1");
        pb.environment().put("LOG_LEVEL", LOG_LEVEL);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start wireguard-go: " + e.getMessage(), e);
        }
        try {
            awaitReady();
            Shell.cmd(wgSetArgs(List.copyOf(peers.values()), true)).run();
            Shell.run("ip", "-n", ns.name(), "addr", "add", tunnelCidr, "dev", ifName);
            Shell.run("ip", "-n", ns.name(), "link", "set", ifName, "mtu", String.valueOf(MTU), "up");
        } catch (RuntimeException e) {
            try {
                stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Waits for the UAPI socket and the interface. Failures are IllegalStateExceptions, which
     * {@link #start()} answers by stopping the process.
     */
    private void awaitReady() {
        boolean[] ready = {false};
        try {
            Await.until("wireguard-go " + ifName + " made its UAPI socket and interface, or exited", Duration.ofSeconds(10),
                    () -> (ready[0] = Files.exists(uapiSocket()) && ns.hasLink(ifName)) || !process.isAlive());
        } catch (AssertionError e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while starting wireguard-go", e);
            }
            throw new IllegalStateException("wireguard-go " + ifName + " made no UAPI socket within 10 s; log:\n" + logTail(20), e);
        }
        if (!ready[0]) {
            throw new IllegalStateException("wireguard-go " + ifName + " exited with " + process.exitValue()
                    + " before its interface came up; log:\n" + logTail(20));
        }
    }

    /** Adds or updates a peer; applied at once when running, and kept for the next {@link #start()}. */
    public synchronized void setPeer(PeerSpec spec) {
        peers.put(spec.publicKey(), spec);
        if (isRunning()) {
            Shell.cmd(wgSetArgs(List.of(spec), false)).run();
        }
    }

    public synchronized PeerSpec peerSpec(String peerPublicKey) {
        return peers.get(peerPublicKey);
    }

    private List<String> wgSetArgs(List<PeerSpec> specs, boolean withInterface) {
        List<String> a = new ArrayList<>(List.of("wg", "set", ifName));
        if (withInterface) {
            a.addAll(List.of("private-key", privateKeyFile.toString(), "listen-port", String.valueOf(listenPort)));
        }
        for (PeerSpec p : specs) {
            a.addAll(List.of("peer", p.publicKey()));
            if (p.presharedKey() != null) {
                Path psk = dir.resolve(ifName + "-" + Integer.toHexString(p.publicKey().hashCode()) + ".psk");
                KeyFiles.write(psk, p.presharedKey());
                a.addAll(List.of("preshared-key", psk.toString()));
            }
            a.addAll(List.of("allowed-ips", String.join(",", p.allowedIps())));
            if (p.endpoint() != null) {
                a.addAll(List.of("endpoint", p.endpoint()));
            }
            a.addAll(List.of("persistent-keepalive", p.persistentKeepalive() == 0 ? "off" : String.valueOf(p.persistentKeepalive())));
        }
        return Shell.inNamespace(ns.name(), a);
    }

    /**
     * Stops wireguard-go: SIGTERM (it then removes its socket and interface), SIGKILL after 5 s.
     * Returns when the process, the UAPI socket and the interface are gone.
     */
    public synchronized void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("wireguard-go " + ifName + " (pid " + p.pid() + ") survived SIGKILL");
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping wireguard-go " + ifName, e);
        } finally {
            process = null;
        }
        try {
            Files.deleteIfExists(uapiSocket()); // left behind only after a SIGKILL
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The kernel removes a TUN interface when its last file descriptor closes; wait for it.
        Await.until(ifName + " is gone from " + ns.name(), Duration.ofSeconds(5), () -> !ns.hasLink(ifName));
    }

    /** Stops the process and wipes the key files. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            KeyFiles.wipe(privateKeyFile);
            for (PeerSpec p : peers.values()) {
                KeyFiles.wipe(dir.resolve(ifName + "-" + Integer.toHexString(p.publicKey().hashCode()) + ".psk"));
            }
        }
    }

    /** {@code wg show <if> dump}, parsed (the private key is read by nobody but the parser). */
    public WgDump showDump() {
        return WgDump.parse(ns.cmd("wg", "show", ifName, "dump").secretOutput().run().stdout());
    }

    public WgDump.Peer peer(String peerPublicKey) {
        return showDump().peer(peerPublicKey)
                .orElseThrow(() -> new IllegalStateException(ifName + " has no peer " + peerPublicKey));
    }

    /** Seconds since the epoch of the latest handshake with that peer, 0 if none. */
    public long latestHandshake(String peerPublicKey) {
        return peer(peerPublicKey).latestHandshake();
    }

    /** "ip:port" wireguard-go sends to for that peer now, {@code null} while unknown. */
    public String endpoint(String peerPublicKey) {
        return peer(peerPublicKey).endpoint();
    }

    /**
     * Pings {@code dst} from inside the namespace, one request every 200 ms until {@code count}
     * replies came or {@code timeout} passed.
     *
     * @return how many replies came back; more than {@code count} when requests queued during a
     *         handshake are answered in one burst
     */
    public int ping(String dst, int count, Duration timeout) {
        long secs = Math.max(1, (timeout.toMillis() + 999) / 1000);
        Shell.Result r = ns.cmd("ping", "-n", "-q", "-c", String.valueOf(count), "-i", "0.2", "-w", String.valueOf(secs), dst)
                .timeout(timeout.plusSeconds(10)).tryRun();
        Matcher m = RECEIVED.matcher(r.stdout());
        if (!m.find()) {
            throw new IllegalStateException("ping " + dst + " in " + ns.name() + " printed no summary (exit " + r.exitCode()
                    + "): " + r.stdout().strip() + " " + r.stderr().strip());
        }
        return Integer.parseInt(m.group(1));
    }

    /** The last lines wireguard-go logged, for failure messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "wireguard-go[" + ifName + " in " + ns.name() + ", " + tunnelCidr + ", port " + listenPort + ", public " + publicKey + "]";
    }
}
