package org.wgkaraf.netif.ping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.netif.PingResult;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.netif.ip.EchoReply;
import org.wgkaraf.netif.ip.EchoService;
import org.wgkaraf.netif.ip.EchoSession;

/**
 * Ping as the original's {@code network ping}. An address behind an attached tunnel interface is
 * pinged through the userspace IPv4 layer, and only through it: while that tunnel is down every
 * request is a timeout, never a ping in clear through the host. Any other address is pinged by the
 * host's own {@code ping}.
 * <p>
 * Requests go one after the other, {@code interval} apart from start to start (or as soon as the
 * previous one's wait ends, if that is later), each waiting up to {@code timeout}. A reply whose
 * round trip exceeds the timeout is a timeout, and one for an earlier request never counts for a
 * later one.
 */
@Component(service = PingService.class)
public final class PingServiceImpl implements PingService {
    private static final Logger LOG = LoggerFactory.getLogger(PingServiceImpl.class);
    /** ICMP header bytes, counted in a reply's size as ping prints it. */

    private final EchoService tunnels;
    private final HostPing host;
    private final HostResolver resolver;

    @Activate
    public PingServiceImpl(@Reference EchoService tunnels) {
        this(tunnels, new SystemPing(), HostResolver.SYSTEM);
    }

    PingServiceImpl(EchoService tunnels, HostPing host, HostResolver resolver) {
        this.tunnels = Objects.requireNonNull(tunnels, "tunnels");
        this.host = host;
        this.resolver = resolver;
    }

    @Override
    public PingResult ping(String hostName, Options options, Listener listener)
            throws UnknownHostException, InterruptedException {
        Inet4Address address = resolve(hostName);
        long intervalNanos = options.interval().toNanos();
        double timeoutMillis = options.timeout().toNanos() / 1e6;
        List<Double> rtts = new ArrayList<>();
        double waitedMillis = 0;
        try (Prober prober = prober(address)) {
            listener.started(hostName, address, options.dataSize());
            long next = System.nanoTime();
            for (int seq = 0; seq < options.count(); seq++) {
                long start = waitUntil(next);
                next = start + intervalNanos;
                // A reply counts only within the timeout, however late the wait for it began.
                Optional<HostPing.Reply> reply = prober.request(seq, options.dataSize(), options.timeout())
                        .filter(r -> r.rttMillis() <= timeoutMillis);
                if (reply.isPresent()) {
                    double rtt = reply.get().rttMillis();
                    rtts.add(rtt);
                    waitedMillis += rtt;
                    // The original reports the data size ("64 bytes from" for 64 data bytes), not data + ICMP header.
                    listener.reply(seq, options.dataSize(), reply.get().ttl(), rtt);
                } else {
                    waitedMillis += timeoutMillis;
                    listener.timeout(seq);
                }
            }
        }
        return new PingResult(hostName, address, options.count(), rtts.size(), rtts, Math.round(waitedMillis));
    }

    /** An IPv4 literal as is (no DNS); else the first IPv4 address the name resolves to. */
    private Inet4Address resolve(String hostName) throws UnknownHostException {
        String name = hostName == null ? "" : hostName.strip();
        if (name.isEmpty()) {
            throw new UnknownHostException("unknown host " + hostName);
        }
        InetAddress[] addresses;
        InetAddress literal = literal(name);
        if (literal != null) {
            addresses = new InetAddress[] {literal};
        } else {
            try {
                addresses = resolver.resolve(name);
            } catch (UnknownHostException e) {
                throw new UnknownHostException("unknown host " + hostName);
            }
        }
        for (InetAddress a : addresses) {
            if (a instanceof Inet4Address v4) {
                return v4;
            }
        }
        throw new UnknownHostException("no IPv4 address for " + hostName);
    }

    private static InetAddress literal(String name) {
        try {
            return IpPrefix.parseLiteral(name);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    /** Sleeps until the {@code System.nanoTime()} reading {@code when}, and returns the reading then. */
    private static long waitUntil(long when) throws InterruptedException {
        long now = System.nanoTime();
        while (when - now > 0) { // a sleep may round its nanoseconds down: check, and sleep the rest
            TimeUnit.NANOSECONDS.sleep(when - now);
            now = System.nanoTime();
        }
        return now;
    }

    private Prober prober(Inet4Address address) {
        if (!tunnels.covers(address)) {
            return (seq, dataSize, timeout) -> host.ping(address, dataSize, timeout);
        }
        EchoSession session;
        try {
            session = tunnels.openEcho(address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Prober() {
            @Override
            public Optional<HostPing.Reply> request(int seq, int dataSize, Duration timeout) throws InterruptedException {
                try {
                    session.send(seq & 0xffff, dataSize);
                } catch (IOException e) {
                    LOG.debug("echo request {} to {} not sent: {}", seq, address.getHostAddress(), e.getMessage());
                    // Nothing left: the request still takes its time, as one without a reply does.
                    waitUntil(System.nanoTime() + timeout.toNanos());
                    return Optional.empty();
                }
                return session.await(seq & 0xffff, timeout).map(PingServiceImpl::reply);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    private static HostPing.Reply reply(EchoReply r) {
        return new HostPing.Reply(r.ttl(), r.rttMillis());
    }

    /** Sends one request and waits for its reply, by one path or the other. */
    @FunctionalInterface
    private interface Prober extends AutoCloseable {
        Optional<HostPing.Reply> request(int seq, int dataSize, Duration timeout) throws InterruptedException;

        @Override
        default void close() {
        }
    }
}
