package org.wgkaraf.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A plain MINA SSHD server as Karaf builds its own, in small: password and public key
 * authentication, the SFTP subsystem and SCP on a directory, and a few commands:
 * <ul>
 * <li>{@code whereami}: prints {@code client <address> server <name>};</li>
 * <li>{@code cat}: echoes its input until EOF;</li>
 * <li>{@code produce <n>}: writes n bytes (a known pattern), recording its progress.</li>
 * </ul>
 */
public final class TestSshd implements AutoCloseable {
    public static final String USER = "owner";
    public static final String PASSWORD = "correct horse";

    private final String name;
    private final SshServer server;
    private final Path files;
    private final List<SocketAddress> passwordLogins = new CopyOnWriteArrayList<>();
    private final AtomicLong produced = new AtomicLong();
    private volatile Thread producer;
    private volatile boolean producing;

    /**
     * @param dir            for the host key and the files root ({@code dir/files})
     * @param authorizedKey  an OpenSSH public key line that may log in as {@link #USER}
     */
    public TestSshd(String name, Path dir, String authorizedKey) throws IOException {
        this.name = name;
        this.files = Files.createDirectories(dir.resolve("files"));
        Path keys = dir.resolve("authorized_keys");
        Files.writeString(keys, authorizedKey + "\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(dir.resolve("host.key"));
        hostKey.setAlgorithm("EC");
        server.setKeyPairProvider(hostKey);
        server.setPasswordAuthenticator((user, password, session) -> {
            boolean ok = USER.equals(user) && PASSWORD.equals(password);
            if (ok) {
                passwordLogins.add(session.getClientAddress());
            }
            return ok;
        });
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(keys));
        server.setFileSystemFactory(new VirtualFileSystemFactory(files));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setCommandFactory(new ScpCommandFactory.Builder()
                .withDelegate((channel, command) -> new TestCommand(command)).build());
    }

    public TestSshd start() throws IOException {
        server.start();
        return this;
    }

    public SshServer server() {
        return server;
    }

    public Path files() {
        return files;
    }

    /** The client addresses of successful password logins, as the server saw them. */
    public List<SocketAddress> passwordLogins() {
        return List.copyOf(passwordLogins);
    }

    /** Bytes {@code produce} has written so far. */
    public long produced() {
        return produced.get();
    }

    /** {@code produce} is inside a write that waits (for SSH window, typically). */
    public boolean producerBlocked() {
        Thread t = producer;
        if (t == null || !producing) {
            return false;
        }
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** The byte at {@code position} of what {@code produce} writes. */
    public static byte pattern(long position) {
        return (byte) (position * 31 + (position >>> 13));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private final class TestCommand implements Command, Runnable {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private ChannelSession channel;

        TestCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            this.channel = channel;
            Thread t = new Thread(this, "test-command");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            // The thread ends when its streams close.
        }

        @Override
        public void run() {
            int code = 0;
            try {
                String[] words = command.strip().split("\\s+");
                switch (words[0]) {
                    case "whereami" -> out.write(("client " + channel.getSession().getClientAddress() + " server " + name + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    case "cat" -> {
                        byte[] buf = new byte[8192];
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                    case "produce" -> produce(Long.parseLong(words[1]));
                    default -> {
                        err.write(("unknown command: " + command + "\n").getBytes(StandardCharsets.UTF_8));
                        code = 127;
                    }
                }
                out.flush();
                err.flush();
            } catch (IOException | RuntimeException e) {
                code = 1;
            }
            exit.onExit(code);
        }

        private void produce(long total) throws IOException {
            producer = Thread.currentThread();
            produced.set(0);
            byte[] chunk = new byte[32 * 1024];
            long pos = 0;
            while (pos < total) {
                int n = (int) Math.min(chunk.length, total - pos);
                for (int i = 0; i < n; i++) {
                    chunk[i] = pattern(pos + i);
                }
                producing = true;
                out.write(chunk, 0, n);
                out.flush();
                producing = false;
                pos += n;
                produced.set(pos);
            }
        }
    }
}
