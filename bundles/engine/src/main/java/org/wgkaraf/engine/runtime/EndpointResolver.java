package org.wgkaraf.engine.runtime;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.PublicKey;

/**
 * Looks up the host names of the peers' endpoints, on the tunnel's resolver thread: at most one
 * lookup chain per peer, however often one is asked for.
 *
 * <p>A lookup is asked for when the tunnel opens, on reconfigure (a new endpoint), on rebind (the
 * network changed), and after every third unanswered handshake (dynamic DNS). A request while the
 * peer's lookup runs makes it run once more right after; a request while its retry waits brings
 * that retry forward to now. A failed lookup is retried after 1 s, doubling to 60 s; a successful
 * one ends the chain. So with the name failing and the server down, the lookups, and their log
 * lines, stay at one chain's pace.
 *
 * <p>Threads and locks: {@link #request} and {@link #forget} are called under the engine lock;
 * the lookup and the {@link Target} calls run on the resolver thread with no lock held. This
 * class's monitor guards only its own table and is never held while calling out.
 */
final class EndpointResolver {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointResolver.class);
    static final long FIRST_RETRY = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_RETRY = TimeUnit.SECONDS.toNanos(60);

    /** Where results go; called on the resolver thread without any lock held. */
    interface Target {
        /**
         * {@code endpoint} of {@code peer} resolved to {@code address}. Returns false when the
         * peer no longer has that endpoint (removed or reconfigured meanwhile).
         */
        boolean resolved(PublicKey peer, Endpoint endpoint, InetSocketAddress address);

        /** The lookup failed with {@code error}, a message for a person. Returns false as above. */
        boolean failed(PublicKey peer, Endpoint endpoint, String error);
    }

    /** The one lookup chain of a peer. */
    private static final class Chain {
        Endpoint endpoint;
        /** The next lookup, waiting in the executor; null while none waits. */
        ScheduledFuture<?> next;
        /** {@link #next} runs as soon as the executor gets to it (not a retry waiting out its delay). */
        boolean nextIsImmediate;
        /** A lookup is running now. */
        boolean running;
        /** A request came while the lookup ran: run again when it ends. */
        boolean again;
        long retryDelay = FIRST_RETRY;
    }

    private final String tunnel;
    private final HostResolver hosts;
    private final ScheduledExecutorService executor;
    private final Target target;
    private final Map<PublicKey, Chain> chains = new HashMap<>();
    private boolean closed;

    EndpointResolver(String tunnel, HostResolver hosts, ScheduledExecutorService executor, Target target) {
        this.tunnel = tunnel;
        this.hosts = hosts;
        this.executor = executor;
        this.target = target;
    }

    /** Asks for {@code peer}'s endpoint to be looked up now, joining its chain if it has one. */
    synchronized void request(PublicKey peer, Endpoint endpoint) {
        if (closed) {
            return;
        }
        Chain chain = chains.computeIfAbsent(peer, k -> new Chain());
        chain.endpoint = endpoint;
        if (chain.running) {
            chain.again = true;
            return;
        }
        if (chain.next != null) {
            if (chain.nextIsImmediate) {
                return;
            }
            chain.next.cancel(false);
        }
        schedule(peer, chain, 0);
    }

    /** The peer is gone: its chain ends. */
    synchronized void forget(PublicKey peer) {
        Chain chain = chains.remove(peer);
        if (chain != null && chain.next != null) {
            chain.next.cancel(false);
        }
    }

    /** Ends every chain and the resolver thread; a lookup under way is abandoned. */
    void close() {
        synchronized (this) {
            closed = true;
            for (Chain chain : chains.values()) {
                if (chain.next != null) {
                    chain.next.cancel(false);
                }
            }
            chains.clear();
        }
        executor.shutdownNow();
    }

    /** Blocks until the resolver thread has ended (after {@link #close}), at most {@code millis}. */
    void awaitClosed(long millis) {
        try {
            executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Under this monitor. */
    private void schedule(PublicKey peer, Chain chain, long delayNanos) {
        try {
            chain.next = executor.schedule(() -> lookUp(peer, chain), delayNanos, TimeUnit.NANOSECONDS);
            chain.nextIsImmediate = delayNanos == 0;
        } catch (RejectedExecutionException e) {
            chain.next = null; // closing
        }
    }

    private void lookUp(PublicKey peer, Chain chain) {
        Endpoint endpoint;
        synchronized (this) {
            if (closed || chains.get(peer) != chain) {
                return;
            }
            chain.next = null;
            chain.running = true;
            chain.again = false;
            endpoint = chain.endpoint;
        }
        InetSocketAddress address = null;
        String error = null;
        try {
            address = new InetSocketAddress(hosts.resolve(endpoint.host()), endpoint.port());
        } catch (UnknownHostException e) {
            error = "cannot resolve endpoint host " + endpoint.host();
        } catch (RuntimeException e) {
            error = "cannot resolve endpoint host " + endpoint.host() + ": " + e.getMessage();
        }
        boolean wanted = address != null
                ? target.resolved(peer, endpoint, address)
                : target.failed(peer, endpoint, error);
        long retryIn = -1;
        synchronized (this) {
            chain.running = false;
            if (closed || chains.get(peer) != chain) {
                return;
            }
            if (chain.again) {
                schedule(peer, chain, 0);
            } else if (address != null || !wanted) {
                chains.remove(peer);
            } else {
                retryIn = chain.retryDelay;
                chain.retryDelay = Math.min(MAX_RETRY, retryIn * 2);
                schedule(peer, chain, retryIn);
            }
        }
        if (retryIn >= 0) {
            LOG.warn("tunnel {}: {}; retrying in {} s", tunnel, error, TimeUnit.NANOSECONDS.toSeconds(retryIn));
        }
    }
}
