package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.PublicKey;

/** The resolver's chain rules, with lookups run by the test on its own thread and time it moves. */
class EndpointResolverTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final PublicKey peer = PublicKey.of(new byte[32]);
    private final Endpoint name = new Endpoint("wg.example.net", 51820);
    private final List<String> results = new ArrayList<>();
    private final EndpointResolver.Target target = new EndpointResolver.Target() {
        @Override
        public boolean resolved(PublicKey p, Endpoint e, InetSocketAddress address) {
            results.add("resolved " + e.host() + " " + address.getAddress().getHostAddress());
            return true;
        }

        @Override
        public boolean failed(PublicKey p, Endpoint e, String error) {
            results.add("failed " + e.host());
            return true;
        }
    };

    @Test
    void aSuccessfulLookupEndsTheChain() throws Exception {
        InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, 7});
        EndpointResolver r = new EndpointResolver("wg0", host -> address, scheduler, target);
        r.request(peer, name);
        r.request(peer, name);
        assertEquals(1, scheduler.pending(), "two requests, one lookup waiting");
        scheduler.runDue();
        assertEquals(List.of("resolved wg.example.net 127.0.0.7"), results);
        assertEquals(0, scheduler.pending(), "nothing more to do");
    }

    @Test
    void aRequestDuringALookupRunsItOnceMoreRightAfter() {
        EndpointResolver[] self = new EndpointResolver[1];
        int[] lookups = {0};
        HostResolver failingAndAskedAgain = host -> {
            if (++lookups[0] == 1) {
                self[0].request(peer, new Endpoint("wg2.example.net", 51820)); // reconfigured meanwhile
                self[0].request(peer, new Endpoint("wg2.example.net", 51820));
            }
            throw new UnknownHostException(host);
        };
        self[0] = new EndpointResolver("wg0", failingAndAskedAgain, scheduler, target);
        self[0].request(peer, name);
        scheduler.runDue();
        assertEquals(List.of("failed wg.example.net", "failed wg2.example.net"), results,
                "the new name is looked up at once, once, after the lookup under way");
        assertEquals(1, scheduler.pending(), "then one retry waits");
    }

    @Test
    void retriesBackOffFromOneSecondToAMinute() {
        List<Long> at = new ArrayList<>();
        long[] now = {0};
        EndpointResolver r = new EndpointResolver("wg0", host -> {
            at.add(now[0]);
            throw new UnknownHostException(host);
        }, scheduler, target);
        r.request(peer, name);
        for (int s = 0; s <= 300; s++) {
            now[0] = s;
            scheduler.advance(s == 0 ? 0 : 1, TimeUnit.SECONDS);
        }
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 31L, 63L, 123L, 183L, 243L), at.subList(0, 10));
    }

    @Test
    void aForgottenPeerIsNotLookedUpAgain() {
        int[] lookups = {0};
        EndpointResolver r = new EndpointResolver("wg0", host -> {
            lookups[0]++;
            throw new UnknownHostException(host);
        }, scheduler, target);
        r.request(peer, name);
        scheduler.runDue();
        r.forget(peer);
        scheduler.advance(10, TimeUnit.MINUTES);
        assertEquals(1, lookups[0]);
        assertEquals(0, scheduler.pending());
    }

    @Test
    void closeEndsEveryChain() {
        EndpointResolver r = new EndpointResolver("wg0", host -> {
            throw new UnknownHostException(host);
        }, scheduler, target);
        r.request(peer, name);
        r.close();
        assertTrue(scheduler.isShutdown());
        assertEquals(0, scheduler.pending());
        r.request(peer, name);
        assertEquals(0, scheduler.pending(), "a closed resolver takes no more requests");
    }
}
