package org.wgkaraf.testsupport.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what carries a name prefix after the harness has cleaned up: namespaces, links in the root
 * namespace, wireguard-go processes, UAPI sockets, temp directories and a namespace's /etc/netns
 * directory. Empty means clean.
 */
public final class Leftovers {
    private Leftovers() {
    }

    public static List<String> find(String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "list").stdout().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(prefix)) {
                out.add("namespace " + name);
            }
        }
        for (String line : Shell.run("ip", "-o", "link", "show").stdout().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1) {
                String name = f[1].split("@")[0];
                if (name.startsWith(prefix)) {
                    out.add("link " + name);
                }
            }
        }
        out.addAll(processes(prefix));
        out.addAll(entries(Path.of("/var/run/wireguard"), prefix, "UAPI socket "));
        out.addAll(entries(Path.of(System.getProperty("java.io.tmpdir")), prefix, "temp directory "));
        out.addAll(entries(Path.of("/etc/netns"), prefix, "directory "));
        return out;
    }

    /** wireguard-go processes whose interface name carries the prefix. */
    private static List<String> processes(String prefix) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                String[] args;
                try {
                    args = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
                } catch (IOException e) {
                    continue; // exited meanwhile
                }
                boolean wg = false;
                boolean ours = false;
                for (String a : args) {
                    wg |= a.endsWith("wireguard-go");
                    ours |= a.startsWith(prefix);
                }
                if (wg && ours) {
                    out.add("process " + p.getFileName() + ": " + String.join(" ", args));
                }
            }
        } catch (IOException e) {
            out.add("(cannot list /proc: " + e.getMessage() + ")");
        }
        return out;
    }

    private static List<String> entries(Path dir, String prefix, String what) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "*")) {
            s.forEach(p -> out.add(what + p));
        } catch (IOException e) {
            out.add("(cannot list " + dir + ": " + e.getMessage() + ")");
        }
        return out;
    }
}
