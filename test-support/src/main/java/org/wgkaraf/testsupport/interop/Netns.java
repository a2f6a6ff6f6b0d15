package org.wgkaraf.testsupport.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace joined to the root namespace (where the test JVM and the Java engine run)
 * by a veth pair on 10.213.N.0/24: the root end has 10.213.N.1, the namespace end 10.213.N.2.
 * Nothing is routed anywhere else: the root namespace only gains the connected route of that /24.
 * It is an {@link IsolatedNetns} with that veth added. {@link #close()} removes the links, then the
 * namespace, and is safe to call more than once.
 */
public final class Netns implements AutoCloseable {
    private final IsolatedNetns base;
    private final String name;
    private final int subnet;
    private final String rootIf;
    private final String nsIf;
    private final List<NsLink> links = new ArrayList<>();
    private boolean closed;

    /** A veth pair between two namespaces, with 10.213.M.1 on this side and 10.213.M.2 on the other. */
    public record NsLink(Netns a, String ifA, Netns b, String ifB, int subnet) {
        public String addressA() {
            return Subnets.outer(subnet, 1);
        }

        public String addressB() {
            return Subnets.outer(subnet, 2);
        }
    }

    private Netns(IsolatedNetns base, int subnet) {
        this.base = base;
        this.name = base.name();
        this.subnet = subnet;
        this.rootIf = name + "r";
        this.nsIf = name + "p";
    }

    /** Creates the namespace and its veth link to the root namespace; removes what it made if a step fails. */
    public static Netns create(String name, int subnet) {
        IsolatedNetns base = IsolatedNetns.create(name);
        return Cleanup.orClose(new Netns(base, subnet), Netns::build);
    }

    private void build() {
        // Quiet links: no IPv6 autoconfiguration traffic on the veth or on tunnels made later.
        execQuietly("sh", "-c", "for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6;"
                + " do [ -w $f ] && echo 1 > $f; done; true");
        Shell.run("ip", "link", "add", rootIf, "type", "veth", "peer", "name", nsIf, "netns", name);
        writeSysctl("net/ipv6/conf/" + rootIf + "/disable_ipv6", "1");
        // Removing the primary address (roaming test) must promote, not delete, the secondary one.
        writeSysctl("net/ipv4/conf/" + rootIf + "/promote_secondaries", "1");
        Shell.run("ip", "addr", "add", rootAddress() + "/24", "dev", rootIf);
        Shell.run("ip", "link", "set", rootIf, "up");
        Shell.run("ip", "-n", name, "addr", "add", nsAddress() + "/24", "dev", nsIf);
        Shell.run("ip", "-n", name, "link", "set", nsIf, "up");
    }

    public String name() {
        return name;
    }

    /** N of 10.213.N.0/24 (and of the tunnel net 10.214.N.0/24 that tests put in this namespace). */
    public int subnet() {
        return subnet;
    }

    public String rootIf() {
        return rootIf;
    }

    public String nsIf() {
        return nsIf;
    }

    /** 10.213.N.1, the root namespace's end. */
    public String rootAddress() {
        return outerAddress(1);
    }

    /** 10.213.N.2, the namespace's end. */
    public String nsAddress() {
        return outerAddress(2);
    }

    public String outerAddress(int host) {
        return Subnets.outer(subnet, host);
    }

    /** 10.214.N.host: for tunnel addresses of peers that live in or talk to this namespace. */
    public String innerAddress(int host) {
        return Subnets.inner(subnet, host);
    }

    /** A command that runs inside the namespace. */
    public Shell.Command cmd(String... argv) {
        return base.cmd(argv);
    }

    /** Runs a command inside the namespace; throws on a non-zero exit. */
    public Shell.Result exec(String... argv) {
        return cmd(argv).run();
    }

    /** Adds an address in 10.213.N.0/24 to the root end of the veth (a second uplink address). */
    public void addRootAddress(String ip) {
        Shell.run("ip", "addr", "add", ip + "/24", "dev", rootIf);
    }

    public void removeRootAddress(String ip) {
        Shell.run("ip", "addr", "del", ip + "/24", "dev", rootIf);
    }

    /** The source address the root namespace uses now to reach {@code dst}. */
    public String rootSourceAddressTo(String dst) {
        String[] words = Shell.run("ip", "-4", "route", "get", dst).stdout().trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("src")) {
                return words[i + 1];
            }
        }
        throw new IllegalStateException("no source address for " + dst + " in `ip route get`: " + String.join(" ", words));
    }

    public void setRootLinkUp(boolean up) {
        Shell.run("ip", "link", "set", rootIf, up ? "up" : "down");
    }

    /** Brings a link inside the namespace up or down (its veth end, a tunnel, lo). */
    public void setLinkUp(String ifName, boolean up) {
        Shell.run("ip", "-n", name, "link", "set", ifName, up ? "up" : "down");
    }

    public boolean hasLink(String ifName) {
        return Shell.cmd("ip", "-n", name, "link", "show", ifName).tryRun().ok();
    }

    /**
     * UDP datagrams that reached this namespace for a port nobody listens on (/proc/net/snmp is
     * per namespace): shows that a peer keeps sending while the local WireGuard is stopped.
     */
    public long udpNoPorts() {
        String[] lines = exec("cat", "/proc/net/snmp").stdout().split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                String[] keys = lines[i].trim().split("\\s+");
                String[] values = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < keys.length && k < values.length; k++) {
                    if (keys[k].equals("NoPorts")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        throw new IllegalStateException("no Udp NoPorts counter in /proc/net/snmp of " + name);
    }

    /** Joins this namespace and {@code other} directly by a veth pair on 10.213.M.0/24 (M is {@code subnet}). */
    public NsLink connect(Netns other, int subnet, String ifHere, String ifThere) {
        Shell.run("ip", "-n", name, "link", "add", ifHere, "type", "veth", "peer", "name", ifThere, "netns", other.name);
        NsLink link = new NsLink(this, ifHere, other, ifThere, subnet);
        links.add(link);
        Shell.run("ip", "-n", name, "addr", "add", link.addressA() + "/24", "dev", ifHere);
        Shell.run("ip", "-n", name, "link", "set", ifHere, "up");
        Shell.run("ip", "-n", other.name, "addr", "add", link.addressB() + "/24", "dev", ifThere);
        Shell.run("ip", "-n", other.name, "link", "set", ifThere, "up");
        return link;
    }

    /**
     * Deletes the links first (deleting a veth end removes its peer at once, whereas a namespace
     * dies asynchronously), then the namespace. Tolerates pieces that are already gone.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (NsLink l : links) {
            Cleanup.delete(failures, "ip", "-n", name, "link", "del", l.ifA());
        }
        Cleanup.delete(failures, "ip", "link", "del", rootIf);
        try {
            base.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        Cleanup.throwFirst(failures);
    }

    private void execQuietly(String... argv) {
        cmd(argv).tryRun();
    }

    private static void writeSysctl(String key, String value) {
        Path p = Path.of("/proc/sys", key);
        if (!Files.exists(p)) {
            return; // e.g. IPv6 compiled out: nothing to quiet
        }
        try {
            Files.writeString(p, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Netns[" + name + ", " + rootAddress() + " <-> " + nsAddress() + "]";
    }
}
