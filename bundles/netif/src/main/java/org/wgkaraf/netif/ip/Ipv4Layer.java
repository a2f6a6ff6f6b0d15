package org.wgkaraf.netif.ip;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.api.netif.UdpService;
import org.wgkaraf.api.netif.UdpSocket;
import org.wgkaraf.netif.spi.AcceptQueue;
import org.wgkaraf.netif.spi.TcpBackend;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.netif.tcp.IpLink;
import org.wgkaraf.netif.tcp.ReceiveBurst;
import org.wgkaraf.netif.tcp.UserspaceTcp;

/**
 * The userspace IPv4 layer: a host on the address of every attached tunnel interface, checking
 * what arrives as a host must, answering ICMP echo, carrying UDP, and handing TCP to the userspace
 * TCP layer ({@link UserspaceTcp}).
 * <p>
 * Strong host model (RFC 1122 3.3.4.2): a packet is ours only if it is addressed to the interface it
 * came in by (or its broadcast), and answers leave by that same interface. What we originate is
 * routed to the attached interface whose subnet covers the destination with the longest prefix.
 * Nothing is ever sent through an interface whose link is down. Works the same outside OSGi:
 * {@code new Ipv4Layer()}.
 * <p>
 * Why over 400 lines: this is the one entry of every protocol and the router; the protocols' work
 * is in their own classes (Icmp, Udp, UserspaceUdpSocket, EchoSession, the tcp package), and what
 * is left here is the host's checks, dispatch, routing, and a few lines per service it offers.
 */
@Component(service = {VirtualBackend.class, UdpService.class, EchoService.class, TcpBackend.class},
        property = "netif.backend=USERSPACE")
public final class Ipv4Layer implements VirtualBackend, UdpService, EchoService, TcpBackend {
    /** Datagrams a socket holds before it drops what arrives. */
    static final int UDP_QUEUE = 256;
    static final int EPHEMERAL_FIRST = 49152;
    static final int EPHEMERAL_LAST = 65535;
    /** ICMP errors sent a second at most, in bursts of as many. */
    static final int ERRORS_PER_SECOND = 10;

    private static final Logger LOG = LoggerFactory.getLogger(Ipv4Layer.class);
    private static final int ANSWER_ECHO_REPLY = 0;
    private static final int ANSWER_PORT_UNREACHABLE = 1;
    private static final int ANSWER_PROTOCOL_UNREACHABLE = 2;

    private final LongSupplier clock;
    private final List<AttachedInterface> interfaces = new CopyOnWriteArrayList<>();
    private final Map<Integer, UserspaceUdpSocket> ports = new ConcurrentHashMap<>();
    private final Map<Integer, EchoSession> echoSessions = new ConcurrentHashMap<>();
    private final AtomicInteger identification = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final AtomicInteger echoIdentifier = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final DropCounters drops = new DropCounters();
    private final RateLimiter errorLimit;
    private final OutputBuffers buffers = new OutputBuffers(4);
    private final UserspaceTcp tcp;

    public Ipv4Layer() {
        this(System::nanoTime);
    }

    /** @param clock nanoseconds, for round-trip times and the ICMP error rate limit */
    Ipv4Layer(LongSupplier clock) {
        this(clock, link -> new UserspaceTcp(link, clock));
    }

    /**
     * @param clock nanoseconds, for round-trip times, the ICMP error rate limit and TCP
     * @param tcp   makes the TCP layer over this one (tests make one without threads, on their clock)
     */
    Ipv4Layer(LongSupplier clock, Function<IpLink, UserspaceTcp> tcp) {
        this.clock = clock;
        this.errorLimit = new RateLimiter(ERRORS_PER_SECOND, ERRORS_PER_SECOND, clock.getAsLong());
        this.tcp = tcp.apply(new TcpLink(this));
    }

    @Override
    public Attachment attach(NetifInfo info, PacketSink toTunnel) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(toTunnel, "toTunnel");
        AttachedInterface i = new AttachedInterface(this, info, toTunnel);
        interfaces.add(i);
        LOG.debug("attached {}", i);
        return i;
    }

    ReceiveBurst newBurst() {
        return tcp.newBurst();
    }

    void detach(AttachedInterface i) {
        if (interfaces.remove(i)) {
            LOG.debug("detached {}", i);
        }
    }

    /** Packets dropped and answers not sent, by reason (every reason, zeros included). */
    public Map<DropReason, Long> drops() {
        return drops.snapshot();
    }

    long now() {
        return clock.getAsLong();
    }

    void count(DropReason reason) {
        drops.count(reason);
    }

    // ---- Inbound ----------------------------------------------------------------------------

    void input(AttachedInterface in, byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            drops.count(DropReason.INTERNAL_ERROR);
            LOG.warn("{} handed a packet outside its array (offset {}, length {})", in.name(), off, len);
            return;
        }
        try {
            DropReason r = receive(in, b, off, len);
            if (r != null) {
                drops.count(r);
            }
        } catch (RuntimeException e) {
            drops.count(DropReason.INTERNAL_ERROR);
            LOG.warn("packet of {} bytes from {} dropped on an internal error", len, in.name(), e);
        }
    }

    /** Checks a packet as a host does and hands it to its protocol: why it was dropped, or null. */
    private DropReason receive(AttachedInterface in, byte[] b, int off, int len) {
        if (in.closed()) {
            return DropReason.INTERFACE_CLOSED;
        }
        if (len < 1) {
            return DropReason.TRUNCATED;
        }
        if ((b[off] & 0xf0) != 0x40) {
            return DropReason.NOT_IPV4;
        }
        if (len < Ipv4Header.LENGTH) {
            return DropReason.TRUNCATED;
        }
        int headerLength = (b[off] & 0x0f) * 4;
        if (headerLength < Ipv4Header.LENGTH || headerLength > len) {
            return DropReason.BAD_HEADER_LENGTH;
        }
        if (Bytes.get16(b, off + Ipv4Header.TOTAL_LENGTH) != len) {
            return DropReason.BAD_TOTAL_LENGTH;
        }
        if (Checksum.of(b, off, headerLength) != 0) {
            return DropReason.BAD_HEADER_CHECKSUM;
        }
        if (headerLength != Ipv4Header.LENGTH) {
            return DropReason.IP_OPTIONS;
        }
        int fragment = Bytes.get16(b, off + Ipv4Header.FLAGS_FRAGMENT);
        if ((fragment & (Ipv4Header.MORE_FRAGMENTS | Ipv4Header.FRAGMENT_OFFSET)) != 0) {
            return DropReason.FRAGMENT;
        }
        int ttl = b[off + Ipv4Header.TIME_TO_LIVE] & 0xff;
        if (ttl == 0) {
            return DropReason.TTL_ZERO;
        }
        int source = Bytes.get32(b, off + Ipv4Header.SOURCE);
        int destination = Bytes.get32(b, off + Ipv4Header.DESTINATION);
        boolean broadcast = destination == Ipv4Header.LIMITED_BROADCAST || in.isSubnetBroadcast(destination);
        if (destination != in.address && !broadcast) {
            return DropReason.NOT_FOR_US;
        }
        if (isMartian(source, in)) {
            return DropReason.MARTIAN_SOURCE;
        }
        int payload = off + Ipv4Header.LENGTH;
        int payloadLength = len - Ipv4Header.LENGTH;
        return switch (b[off + Ipv4Header.PROTOCOL] & 0xff) {
            case Ipv4Header.PROTOCOL_ICMP -> icmp(in, b, off, len, payload, payloadLength, source, ttl, broadcast);
            case Ipv4Header.PROTOCOL_UDP -> udp(in, b, off, len, payload, payloadLength, source, destination, broadcast);
            case Ipv4Header.PROTOCOL_TCP -> tcp.input(source, destination, b, payload, payloadLength, broadcast, in.burst());
            default -> {
                if (!broadcast) {
                    answer(in, ANSWER_PROTOCOL_UNREACHABLE, b, off, len);
                }
                yield DropReason.PROTOCOL_UNSUPPORTED;
            }
        };
    }

    private static boolean isMartian(int source, AttachedInterface in) {
        int first = source >>> 24;
        return first == 0 || first == 127 || (source & 0xf0000000) == 0xe0000000
                || source == Ipv4Header.LIMITED_BROADCAST || source == in.address || in.isSubnetBroadcast(source);
    }

    private DropReason icmp(AttachedInterface in, byte[] b, int off, int len, int icmp, int icmpLength,
                            int source, int ttl, boolean broadcast) {
        if (icmpLength < Icmp.HEADER) {
            return DropReason.ICMP_TRUNCATED;
        }
        if (Checksum.of(b, icmp, icmpLength) != 0) {
            return DropReason.ICMP_BAD_CHECKSUM;
        }
        int type = b[icmp] & 0xff;
        if (type == Icmp.ECHO_REQUEST) {
            if (broadcast) {
                return DropReason.ECHO_TO_BROADCAST;
            }
            answer(in, ANSWER_ECHO_REPLY, b, off, len);
            return null;
        }
        if (type == Icmp.ECHO_REPLY) {
            EchoSession s = echoSessions.get(Icmp.identifier(b, icmp));
            boolean matched = s != null
                    && s.replied(source, Icmp.sequence(b, icmp), ttl, icmpLength - Icmp.HEADER, now());
            return matched ? null : DropReason.ECHO_REPLY_UNMATCHED;
        }
        return Icmp.isError(type) ? DropReason.ICMP_ERROR_RECEIVED : DropReason.ICMP_UNSUPPORTED;
    }

    private DropReason udp(AttachedInterface in, byte[] b, int off, int len, int udp, int udpSpace,
                           int source, int destination, boolean broadcast) {
        if (udpSpace < Udp.HEADER) {
            return DropReason.UDP_TRUNCATED;
        }
        int udpLength = Bytes.get16(b, udp + Udp.LENGTH);
        if (udpLength < Udp.HEADER || udpLength > udpSpace) {
            return DropReason.UDP_TRUNCATED;
        }
        if (Bytes.get16(b, udp + Udp.CHECKSUM) != 0 // 0: the sender computed none (RFC 768)
                && Checksum.transport(source, destination, Ipv4Header.PROTOCOL_UDP, b, udp, udpLength) != 0) {
            return DropReason.UDP_BAD_CHECKSUM;
        }
        UserspaceUdpSocket socket = ports.get(Bytes.get16(b, udp + 2));
        if (socket == null) {
            if (!broadcast) { // never an ICMP error about a broadcast (RFC 1122 3.2.2)
                answer(in, ANSWER_PORT_UNREACHABLE, b, off, len);
            }
            return DropReason.UDP_PORT_CLOSED;
        }
        return socket.offer(source, Bytes.get16(b, udp), b, udp + Udp.HEADER, udpLength - Udp.HEADER);
    }


    /** Answers a checked packet through the interface it came by; counts why not, when it cannot. */
    private void answer(AttachedInterface in, int kind, byte[] b, int off, int len) {
        if (!in.linkUp()) {
            drops.count(DropReason.LINK_DOWN);
            return;
        }
        boolean error = kind == ANSWER_PORT_UNREACHABLE || kind == ANSWER_PROTOCOL_UNREACHABLE;
        if (error && !errorLimit.tryAcquire(now())) {
            drops.count(DropReason.UNREACHABLE_RATE_LIMITED);
            return;
        }
        byte[] out = buffers.take();
        try {
            int id = nextIdentification();
            int n = switch (kind) {
                case ANSWER_ECHO_REPLY -> Icmp.echoReply(b, off, len, out, id);
                case ANSWER_PORT_UNREACHABLE -> Icmp.unreachable(b, off, len, Icmp.CODE_PORT_UNREACHABLE, out, id, in.address);
                case ANSWER_PROTOCOL_UNREACHABLE -> Icmp.unreachable(b, off, len, Icmp.CODE_PROTOCOL_UNREACHABLE, out, id, in.address);
                default -> throw new IllegalStateException("answer kind " + kind);
            };
            in.toTunnel.deliver(out, 0, n);
        } finally {
            buffers.give(out);
        }
    }

    // ---- Routing ----------------------------------------------------------------------------

    /** The open interface whose subnet covers {@code destination} with the longest prefix, or null. */
    private AttachedInterface route(int destination) {
        AttachedInterface best = null;
        for (AttachedInterface i : interfaces) {
            if (!i.closed() && i.covers(destination) && (best == null || i.prefixLength > best.prefixLength)) {
                best = i;
            }
        }
        return best;
    }

    /** The interface a packet we originate for {@code destination} leaves by. */
    AttachedInterface routeForSending(int destination) throws IOException {
        AttachedInterface out = route(destination);
        if (out == null) {
            throw new IOException("no route to " + Bytes.dotted(destination) + ": no tunnel interface covers it");
        }
        if (!out.linkUp()) {
            throw new IOException("tunnel " + out.name() + " is down: not sent");
        }
        return out;
    }

    AttachedInterface localInterface(int address) {
        for (AttachedInterface i : interfaces) {
            if (!i.closed() && i.address == address) {
                return i;
            }
        }
        return null;
    }

    @Override
    public boolean covers(Inet4Address address) {
        return route(Bytes.address(address)) != null;
    }

    private int nextIdentification() {
        return identification.incrementAndGet() & 0xffff;
    }

    // ---- UDP --------------------------------------------------------------------------------

    /**
     * Binds {@code port} on every attached interface; 0 picks a free one among 49152-65535.
     *
     * @throws IOException when the port is bound already, or no ephemeral port is free
     */
    @Override
    public UdpSocket bind(int port) throws IOException {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("UDP port " + port + " is outside 0-65535");
        }
        if (port != 0) {
            UserspaceUdpSocket s = new UserspaceUdpSocket(this, port, UDP_QUEUE);
            if (ports.putIfAbsent(port, s) != null) {
                throw new IOException("UDP port " + port + " is in use already");
            }
            return s;
        }
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int candidate = EPHEMERAL_FIRST + (start + i) % range;
            UserspaceUdpSocket s = new UserspaceUdpSocket(this, candidate, UDP_QUEUE);
            if (ports.putIfAbsent(candidate, s) == null) {
                return s;
            }
        }
        throw new IOException("no free UDP port among " + EPHEMERAL_FIRST + "-" + EPHEMERAL_LAST);
    }

    void unbind(int port, UserspaceUdpSocket socket) {
        ports.remove(port, socket);
    }

    void sendUdp(int sourcePort, Inet4Address destination, int destinationPort, byte[] data, int offset, int length)
            throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (destinationPort < 1 || destinationPort > 0xffff) {
            throw new IllegalArgumentException("UDP destination port " + destinationPort + " is outside 1-65535");
        }
        if (length > Udp.MAX_DATA) {
            throw new IOException("a datagram of " + length + " bytes is over the " + Udp.MAX_DATA + " an IPv4 packet holds");
        }
        int to = Bytes.address(destination);
        AttachedInterface local = localInterface(to);
        if (local != null) {
            throw new IOException(destination.getHostAddress() + " is this host's own address on " + local.name()
                    + ": sending to itself is not supported");
        }
        AttachedInterface out = routeForSending(to);
        byte[] buf = buffers.take();
        try {
            int n = Udp.write(buf, nextIdentification(), out.address, to, sourcePort, destinationPort, data, offset, length);
            out.toTunnel.deliver(buf, 0, n);
        } finally {
            buffers.give(buf);
        }
    }

    // ---- ICMP echo --------------------------------------------------------------------------

    @Override
    public EchoSession openEcho(Inet4Address destination) throws IOException {
        Objects.requireNonNull(destination, "destination");
        for (int i = 0; i <= 0xffff; i++) {
            int id = echoIdentifier.incrementAndGet() & 0xffff;
            EchoSession s = new EchoSession(this, destination, id);
            if (echoSessions.putIfAbsent(id, s) == null) {
                return s;
            }
        }
        throw new IOException("all 65536 ICMP echo identifiers are in use");
    }

    void closeEcho(EchoSession s) {
        echoSessions.remove(s.identifier(), s);
    }

    /**
     * Sends an echo request of {@code session}. An echo to one of our own addresses is answered
     * at once, as a host answers itself, without a packet leaving.
     */
    void sendEcho(EchoSession session, int destination, int sequence, int dataSize) throws IOException {
        if (localInterface(destination) != null) {
            session.replied(destination, sequence, Ipv4Header.TTL, dataSize, now());
            return;
        }
        AttachedInterface out = routeForSending(destination);
        byte[] buf = buffers.take();
        try {
            int n = Icmp.echoRequest(buf, nextIdentification(), out.address, destination, session.identifier(),
                    sequence, dataSize);
            out.toTunnel.deliver(buf, 0, n);
        } finally {
            buffers.give(buf);
        }
    }

    // ---- TCP (the userspace TCP layer does the work)

    @Override
    public AutoCloseable listen(int port, AcceptQueue queue) throws IOException {
        return tcp.listen(port, queue);
    }

    @Override
    public int routePrefix(Inet4Address address) {
        AttachedInterface i = route(Bytes.address(address));
        return i == null ? -1 : i.prefixLength;
    }

    @Override
    public TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException, InterruptedException {
        return tcp.connect(address, port, timeout);
    }

    @Override
    public TcpStatus status() {
        return tcp.status(drops.snapshot());
    }

    /** Each TCP connection with its core's variables, one a line: for failure messages and debugging. */
    public String tcpConnections() {
        return tcp.describe();
    }

    /** Closes every socket, session and TCP connection (waking their waiters) and detaches every interface. */
    @Deactivate
    public void close() {
        tcp.close();
        for (UserspaceUdpSocket s : List.copyOf(ports.values())) {
            s.close();
        }
        for (EchoSession s : List.copyOf(echoSessions.values())) {
            s.close();
        }
        for (AttachedInterface i : List.copyOf(interfaces)) {
            i.close();
        }
    }
}
