package org.wgkaraf.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenSSH's own clients ({@code ssh}, {@code sftp}, {@code scp}) as the owner runs them, with a
 * key the test generates ({@code ssh-keygen}), reading no user configuration and trusting the
 * test server's host key.
 */
public final class OpenSsh {
    private final Path dir;
    private final Path key;

    private OpenSsh(Path dir, Path key) {
        this.dir = dir;
        this.key = key;
    }

    /** Checks that the programs are installed and generates a key pair in {@code dir}. */
    public static OpenSsh create(Path dir) throws IOException, InterruptedException {
        for (String p : List.of("ssh", "sftp", "scp", "ssh-keygen")) {
            Tools.require(p);
        }
        Path key = dir.resolve("id_ecdsa");
        Tools.Result r = Tools.run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "owner@test",
                "-f", key.toString()), dir, Duration.ofSeconds(30));
        assertEquals(0, r.exit(), "ssh-keygen: " + r);
        return new OpenSsh(dir, key);
    }

    /** The public key line, for the server's authorized keys. */
    public String publicKey() throws IOException {
        return Files.readString(dir.resolve("id_ecdsa.pub")).strip();
    }

    private List<String> options() {
        return List.of("-F", "/dev/null", "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=20");
    }

    /** {@code ssh -p port owner@127.0.0.1 command}, key authentication only. */
    public List<String> ssh(int port, String command) {
        List<String> c = new ArrayList<>(List.of("ssh"));
        c.addAll(options());
        c.addAll(List.of("-o", "BatchMode=yes", "-p", String.valueOf(port), TestSshd.USER + "@127.0.0.1", command));
        return c;
    }

    /** {@code ssh} with password authentication only: the password comes from an askpass program. */
    public List<String> sshWithPassword(int port, String command) {
        List<String> c = new ArrayList<>(List.of("ssh"));
        c.addAll(options());
        c.addAll(List.of("-o", "BatchMode=no", "-o", "PubkeyAuthentication=no",
                "-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "NumberOfPasswordPrompts=1",
                "-p", String.valueOf(port), TestSshd.USER + "@127.0.0.1", command));
        return c;
    }

    /** The environment that makes ssh take its password from a script that prints {@code password}. */
    public Map<String, String> askpass(String password) throws IOException {
        Path script = dir.resolve("askpass.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' '" + password.replace("'", "") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return Map.of("SSH_ASKPASS", script.toString(), "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0");
    }

    /** {@code sftp -b batch}: every command in the batch file must succeed. */
    public List<String> sftp(int port, Path batch) {
        List<String> c = new ArrayList<>(List.of("sftp"));
        c.addAll(options());
        c.addAll(List.of("-o", "BatchMode=yes", "-P", String.valueOf(port), "-b", batch.toString(),
                TestSshd.USER + "@127.0.0.1"));
        return c;
    }

    /** {@code scp -O} (the SCP protocol, not SFTP) from {@code from} to {@code to}; remote paths as {@code :name}. */
    public List<String> scp(int port, String from, String to) {
        List<String> c = new ArrayList<>(List.of("scp", "-O"));
        c.addAll(options());
        c.addAll(List.of("-o", "BatchMode=yes", "-P", String.valueOf(port), remote(from), remote(to)));
        return c;
    }

    private static String remote(String path) {
        return path.startsWith(":") ? TestSshd.USER + "@127.0.0.1" + path : path;
    }
}
