package org.wgkaraf.shell.completer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host names of a hosts file ({@code /etc/hosts}): every word after the address, comments left out. */
public final class HostsFile {
    public static final Path SYSTEM = Path.of("/etc/hosts");

    private HostsFile() {
    }

    /** The names in {@code file}; none when it cannot be read (completion must never fail). */
    public static List<String> names(Path file) {
        try {
            return names(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static List<String> names(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+");
            for (int i = 1; i < words.length; i++) {
                names.add(words[i]);
            }
        }
        return names;
    }
}
