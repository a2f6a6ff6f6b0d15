package org.wgkaraf.testsupport.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace joined to nothing, with only loopback up: the test builds the rest (veth
 * pairs to other isolated namespaces, addresses, routes, a resolv.conf). Unlike {@link Netns} it
 * takes no subnet and adds no route to the root namespace, so fixed addresses inside it cannot
 * clash with another run. {@link #close()} removes the namespace (its links die with it) and its
 * /etc/netns directory, and is safe to call more than once.
 */
public final class IsolatedNetns implements AutoCloseable {
    private static final Path NETNS_ETC = Path.of("/etc/netns");
    private final String name;

    private IsolatedNetns(String name) {
        this.name = name;
    }

    /** Creates the namespace and raises its loopback; removes it again if that fails. */
    public static IsolatedNetns create(String name) {
        Shell.run("ip", "netns", "add", name);
        return Cleanup.orClose(new IsolatedNetns(name), ns -> ns.ip("link", "set", "lo", "up"));
    }

    public String name() {
        return name;
    }

    /** A command that runs inside the namespace. */
    public Shell.Command cmd(String... argv) {
        return Shell.inNamespace(name, argv);
    }

    /** {@code ip -n <name> args}; throws on a non-zero exit, returns stdout. */
    public String ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        return Shell.cmd(argv).run().stdout();
    }

    /**
     * A veth pair from {@code ifHere} in this namespace to {@code ifThere} in {@code other}. Both ends
     * stay down and unaddressed: the test decides what each side looks like.
     */
    public void veth(String ifHere, IsolatedNetns other, String ifThere) {
        ip("link", "add", ifHere, "type", "veth", "peer", "name", ifThere, "netns", other.name);
    }

    /** Writes a sysctl of this namespace, e.g. {@code net/ipv4/conf/uplink/promote_secondaries}. */
    public void writeSysctl(String key, String value) {
        cmd("sh", "-c", "echo " + value + " > /proc/sys/" + key).run();
    }

    /** The OS index of an interface of this namespace. */
    public int linkIndex(String ifName) {
        String line = ip("-o", "link", "show", "dev", ifName).trim();
        return Integer.parseInt(line.substring(0, line.indexOf(':')));
    }

    /** This namespace's own /etc/resolv.conf, as processes started by {@code ip netns exec} see it. */
    public void resolvConf(String text) {
        Path dir = NETNS_ETC.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("resolv.conf"), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + "/resolv.conf", e);
        }
    }

    /** Removes the namespace and its /etc/netns directory; tolerates pieces already gone, so a second call does nothing. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        Cleanup.delete(failures, "ip", "netns", "del", name);
        Path dir = NETNS_ETC.resolve(name);
        try {
            Files.deleteIfExists(dir.resolve("resolv.conf"));
            Files.deleteIfExists(dir);
            deleteIfEmpty(NETNS_ETC);
        } catch (IOException e) {
            failures.add(new UncheckedIOException("cannot remove " + dir, e));
        }
        Cleanup.throwFirst(failures);
    }

    /** /etc/netns may have been made for this namespace; other namespaces' entries keep it. */
    private static void deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // Someone else's namespaces live there.
        }
    }

    @Override
    public String toString() {
        return "IsolatedNetns[" + name + "]";
    }
}
