package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.TunnelConfig;

/** Endpoint lookups under a scheduler whose time the test moves. */
class ResolverChainTest extends RuntimeTestSupport {

    /**
     * With the peer's name failing, every request for a lookup (the constructor, each rebind, a
     * reconfigure, every third unanswered handshake) joins the one retry chain of that peer: the
     * lookups, and their log lines, do not grow with the number of requests.
     */
    @Test
    void aFailingNameKeepsOneRetryChainHoweverOftenALookupIsRequested() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicInteger lookups = new AtomicInteger();
        HostResolver failing = host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        };
        PublicKey server = keys.publicKey(keys.generatePrivateKey());
        SecretKey own = keys.generatePrivateKey();
        TunnelConfig config = new TunnelConfig("wgd", own, 0, List.of(new PeerConfig(server, null,
                new Endpoint("wg.example.invalid", 51820), List.of(IpPrefix.parse("10.214.0.0/24")), 25)));
        TunnelRuntime t = open(config, (b, o, l) -> { }, failing, scheduler, RuntimeHooks.NONE);

        scheduler.runDue();
        assertEquals(1, lookups.get(), "the constructor asked for one lookup");
        assertEquals(1, scheduler.pending(), "and it failed, so one retry waits");

        for (int i = 0; i < 5; i++) {
            t.rebind();
            scheduler.runDue();
            assertEquals(1, scheduler.pending(), "one retry chain after rebind " + (i + 1));
        }
        t.reconfigure(new TunnelConfig("wgd", own, 0, List.of(new PeerConfig(server, null,
                new Endpoint("wg2.example.invalid", 51820), List.of(IpPrefix.parse("10.214.0.0/24")), 25))));
        scheduler.runDue();
        assertEquals(1, scheduler.pending(), "one retry chain after a new endpoint");

        // Ten minutes with the name failing: one chain backs off to one lookup a minute.
        int before = lookups.get();
        scheduler.advance(10, TimeUnit.MINUTES);
        int during = lookups.get() - before;
        assertTrue(during <= 16, "one chain looks the name up at most 16 times in 10 min, not " + during);
        assertEquals(1, scheduler.pending());
        assertTrue(t.status().peers().get(0).lastError().contains("wg2.example.invalid"));
    }
}
