package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.IsolatedNetns;
import org.wgkaraf.testsupport.interop.Lab;
import org.wgkaraf.testsupport.interop.Prerequisites;

/**
 * The real probe and registry on a Linux network namespace the test builds: a child JVM runs them
 * inside the "host" namespace (the probe reads the namespace of its own process) and reports what
 * they see; the test changes the namespace with {@code ip} and checks the status and the events.
 *
 * <p>The host namespace has three links to a "router" namespace: {@code uplink} (10.213.N.0/24,
 * router at .1), {@code second} (10.213.M.0/24, router at .1) and {@code idle}, left down and
 * unconfigured. Nothing joins them to the root namespace. Needs root and iproute2; without them the
 * test fails and says so.
 */
class HostRegistryIT {
    private static final Duration POLL = Duration.ofMillis(200);
    /** Several polls: an event later than this is a failure. */
    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(5);
    /** Third octets of the host's subnets: the namespaces are joined to nothing else, so no run can clash. */
    private static final int N = 31;
    private static final int M = 32;
    private static final List<Lab> LABS = new ArrayList<>();

    private Lab lab;
    private IsolatedNetns host;
    private IsolatedNetns router;
    private ChildRegistry child;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.checkRoot("ip");
    }

    @BeforeEach
    void namespaces() {
        lab = Lab.open();
        LABS.add(lab);
        host = lab.isolatedNetns();
        router = lab.isolatedNetns();
        link("uplink", "gw0", "10.213." + N + ".1/24");
        link("second", "gw1", "10.213." + M + ".1/24");
        link("idle", "gw2", "10.213.33.1/24");
        host.ip("link", "set", "uplink", "up");
        host.ip("link", "set", "second", "up");
        host.ip("addr", "add", "10.213." + M + ".2/24", "dev", "second");
        // A secondary address: the probe must report the primary one, as `ip addr` lists it first.
        host.ip("addr", "add", "10.213." + M + ".7/24", "dev", "second");
    }

    /** The host's {@code hostIf} to the router's {@code routerIf}: the router's end addressed and up, the host's down and bare. */
    private void link(String hostIf, String routerIf, String routerCidr) {
        host.veth(hostIf, router, routerIf);
        router.ip("addr", "add", routerCidr, "dev", routerIf);
        router.ip("link", "set", routerIf, "up");
    }

    @AfterEach
    void cleanUp() {
        try {
            if (child != null) {
                child.close();
            }
        } finally {
            lab.close();
        }
    }

    @AfterAll
    static void nothingOfThisRunIsLeft() {
        List<String> left = LABS.stream().flatMap(l -> l.leftovers().stream()).toList();
        assertTrue(left.isEmpty(), "left behind: " + left);
    }

    @Test
    void theStatusShowsTheNamespaceExactlyAsConfigured() {
        host.ip("addr", "add", "10.213." + N + ".2/24", "dev", "uplink");
        host.ip("route", "add", "default", "via", "10.213." + N + ".1");
        host.resolvConf("# this namespace's own\nnameserver 10.213." + N + ".1\nnameserver 10.213." + M + ".53\n");
        int uplink = host.linkIndex("uplink");
        int second = host.linkIndex("second");
        int idle = host.linkIndex("idle");
        assertTrue(uplink < second && second < idle, "links are indexed in the order they were made");

        child = ChildRegistry.start(host, POLL);
        List<String> status = child.status();

        assertEquals(Stream.of(
                "probe if " + uplink + " uplink ifup=1 linkup=1 10.213." + N + ".2/255.255.255.0",
                "probe if " + second + " second ifup=1 linkup=1 10.213." + M + ".2/255.255.255.0",
                "probe if " + idle + " idle ifup=0 linkup=0 0.0.0.0/0.0.0.0",
                "probe default uplink 10.213." + N + ".1",
                "probe dns 10.213." + N + ".1 10.213." + M + ".53").sorted().toList(),
                status.stream().filter(l -> l.startsWith("probe ")).sorted().toList(), child::diagnostics);
        assertEquals(List.of(
                "if 3 idle HOST ifup=0 linkup=0 0.0.0.0/0.0.0.0 gateway 0.0.0.0",
                "if 2 second HOST ifup=1 linkup=1 10.213." + M + ".2/255.255.255.0 gateway 0.0.0.0",
                "if 1 uplink HOST ifup=1 linkup=1 10.213." + N + ".2/255.255.255.0 gateway 10.213." + N + ".1",
                "default uplink",
                "uplink uplink 10.213." + N + ".2 10.213." + N + ".1",
                "dns 10.213." + N + ".1 10.213." + M + ".53"),
                status.stream().filter(l -> !l.startsWith("probe ")).toList(), child::diagnostics);

        // The router's end goes down: the host's end stays up (ifup) but loses its carrier (linkup).
        router.ip("link", "set", "gw1", "down");
        assertTrue(child.status().contains(
                "if 2 second HOST ifup=1 linkup=0 10.213." + M + ".2/255.255.255.0 gateway 0.0.0.0"), child::diagnostics);

        assertEquals("closed threads=0", child.quit());
        assertEquals(0, child.exitCode(), child::diagnostics);
    }

    @Test
    void readyChangedAndGoneFollowTheUplinkWithinAFewPolls() {
        child = ChildRegistry.start(host, POLL);
        String n2 = "uplink 10.213." + N + ".2 10.213." + N + ".1";
        String n3 = "uplink 10.213." + N + ".3 10.213." + N + ".1";
        String m2 = "second 10.213." + M + ".2 10.213." + M + ".1";
        List<String> expected = new ArrayList<>();

        host.ip("addr", "add", "10.213." + N + ".2/24", "dev", "uplink");
        host.ip("route", "add", "default", "via", "10.213." + N + ".1");
        expected.add("event ready " + n2);
        awaitEvents(expected);

        // The address moves: the new one comes as a secondary and is promoted when the old one goes.
        host.writeSysctl("net/ipv4/conf/uplink/promote_secondaries", "1");
        host.ip("addr", "add", "10.213." + N + ".3/24", "dev", "uplink");
        host.ip("addr", "del", "10.213." + N + ".2/24", "dev", "uplink");
        expected.add("event changed " + n2 + " -> " + n3);
        awaitEvents(expected);

        // The default route moves to another interface.
        host.ip("route", "replace", "default", "via", "10.213." + M + ".1", "dev", "second");
        expected.add("event changed " + n3 + " -> " + m2);
        awaitEvents(expected);

        host.ip("route", "del", "default");
        expected.add("event gone");
        awaitEvents(expected);

        // The address goes with its route: back, then gone with the address.
        host.ip("route", "add", "default", "via", "10.213." + N + ".1");
        expected.add("event ready " + n3);
        awaitEvents(expected);
        host.ip("addr", "del", "10.213." + N + ".3/24", "dev", "uplink");
        expected.add("event gone");
        awaitEvents(expected);

        assertEquals("closed threads=0", child.quit());
        assertEquals(expected, child.events(), child::diagnostics);
    }

    /** Waits until the child has reported exactly {@code expected}, and fails at once on anything else. */
    private void awaitEvents(List<String> expected) {
        Await.until("the events " + expected, EVENT_DEADLINE, () -> {
            List<String> seen = child.events();
            if (seen.size() >= expected.size() || !expected.subList(0, seen.size()).equals(seen)) {
                assertEquals(expected, seen, child::diagnostics);
            }
            return seen.size() == expected.size();
        }, child::diagnostics);
    }
}
