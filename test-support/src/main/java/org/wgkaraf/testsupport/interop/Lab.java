package org.wgkaraf.testsupport.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.wgkaraf.testsupport.Await;

/**
 * Everything one test (or test class) builds: namespaces, links, wireguard-go peers, floods, and
 * the Java engine's tunnels. It names them all with one prefix, closes them in reverse order in
 * {@link #close()}, and a JVM shutdown hook closes labs a crashed test left open.
 */
public final class Lab implements AutoCloseable {
    private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Lab lab : OPEN) {
                try {
                    lab.close();
                } catch (RuntimeException e) {
                    System.err.println("interop cleanup of " + lab.prefix + " failed: " + e.getMessage());
                }
            }
        }, "wgk-interop-cleanup"));
    }

    private final String prefix;
    private final Path dir;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<Integer> subnets = new ArrayList<>();
    private int namespaces;
    private int peers;
    private int links;
    private boolean closed;

    private Lab(String prefix) {
        this.prefix = prefix;
        this.dir = KeyFiles.createDirectory(prefix);
    }

    public static Lab open() {
        Lab lab = new Lab(RunNames.nextLabPrefix());
        OPEN.add(lab);
        return lab;
    }

    public String prefix() {
        return prefix;
    }

    /** A namespace on a fresh 10.213.N.0/24, joined to the root namespace. */
    public synchronized Netns netns() {
        int n = subnet();
        return own(Netns.create(prefix + "n" + (++namespaces), n));
    }

    /**
     * A namespace joined to nothing, with only loopback up: for tests that build a topology of their
     * own (see {@link IsolatedNetns#veth}).
     */
    public synchronized IsolatedNetns isolatedNetns() {
        return own(IsolatedNetns.create(prefix + "i" + (++namespaces)));
    }

    /** Joins two namespaces of this lab directly, on a fresh 10.213.M.0/24 (a.addressA() = .1, b = .2). */
    public synchronized Netns.NsLink connect(Netns a, Netns b) {
        int m = subnet();
        int i = ++links;
        return a.connect(b, m, prefix + "l" + i + "a", prefix + "l" + i + "b");
    }

    /** Starts and configures a wireguard-go in {@code ns}; stopped when the lab closes. */
    public synchronized WireGuardGoPeer wireguardGo(Netns ns, WgKeys.KeyPair keys, int listenPort, String tunnelCidr,
                                             List<WireGuardGoPeer.PeerSpec> peerSpecs) {
        WireGuardGoPeer p = own(new WireGuardGoPeer(ns, prefix + "w" + (++peers), keys, listenPort, tunnelCidr, peerSpecs, dir));
        p.start();
        return p;
    }

    /** Closes {@code resource} with the lab, before everything made earlier. */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        if (closed) {
            throw new IllegalStateException("lab " + prefix + " is closed");
        }
        resources.push(resource);
        return resource;
    }

    private int subnet() {
        int n = Subnets.allocate();
        subnets.add(n);
        return n;
    }

    /** Closes everything in reverse order of creation, even when some of it fails; throws the first failure. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException re ? re : new IllegalStateException("closing " + r + " failed", e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        try {
            KeyFiles.wipeDirectory(dir);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        subnets.forEach(Subnets::release);
        OPEN.remove(this);
        if (failure != null) {
            throw failure;
        }
    }

    /** What is left with this lab's prefix (see {@link Leftovers}); empty after a clean close. */
    public List<String> leftovers() {
        return Leftovers.find(prefix);
    }

    /** Waits briefly for the kernel to finish removing things, then fails naming what is left. */
    public void assertNothingLeft() {
        Await.until("nothing named " + prefix + "* is left", Duration.ofSeconds(5), () -> leftovers().isEmpty(),
                () -> "left: " + leftovers());
    }
}
