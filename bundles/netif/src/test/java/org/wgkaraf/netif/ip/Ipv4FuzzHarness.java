package org.wgkaraf.netif.ip;

import static org.wgkaraf.netif.FuzzSeeds.cat;
import static org.wgkaraf.netif.FuzzSeeds.ops;
import static org.wgkaraf.testsupport.packet.PacketBuilder.checksum;
import static org.wgkaraf.testsupport.packet.PacketBuilder.transportChecksum;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.UdpSocket;
import org.wgkaraf.netif.FuzzInput;
import org.wgkaraf.netif.spi.AcceptQueue;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.netif.tcp.TestTcp;
import org.wgkaraf.netif.tcp.UserspaceTcp;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * Everything a peer controls once a packet is decrypted, driven by bytes: the userspace IPv4 layer
 * with two tunnel interfaces (wg1 10.214.0.2/24 and wg2 10.99.7.1/32), UDP sockets on ports 7
 * and 53, TCP listening on port 22 and an echo session, takes a sequence of operations read from
 * the input: raw packets of any shape, packets built well-formed around fuzzed fields (so the
 * ICMP, UDP and TCP parsers get past the IPv4 checks) with chosen faults, time passing, links
 * going down, interfaces closing, the application reading, sending, pinging, accepting.
 *
 * <p>Deterministic: a fake clock, a TCP layer without threads whose random choices come from a
 * fixed seed, and a new layer for each input.
 *
 * <p>Checked for every packet handed to the layer, besides "never throws" (the layer catches
 * what escapes and counts it as {@link DropReason#INTERNAL_ERROR}: that count must stay 0):
 * <ul>
 * <li>the verdict a host must reach is written here again, independently (RFC 791, 792, 768,
 *     1122): a packet the IPv4 checks refuse changes exactly its reason's counter and sends
 *     nothing; an echo request is answered by exactly one reply that is the request with its
 *     addresses swapped; a datagram to a bound port reaches that socket with its data and source;
 *     one to a closed port, or another protocol, gets an ICMP error quoting it, or is counted as
 *     rate limited; nothing is ever answered to a broadcast; counters never go down;</li>
 * <li>every packet the layer sends, answers and TCP's segments alike, is well-formed IPv4 (header
 *     checksum, length, TTL, don't-fragment) from the interface's own address, with a valid ICMP,
 *     UDP or TCP checksum, no larger than what it answers (TCP segments: the tunnel MTU), and
 *     never through an interface that is closed or whose link is down.</li>
 * </ul>
 */
public final class Ipv4FuzzHarness {
    static final int OPS = 10;
    static final int RAW = 0;
    static final int BUILT = 1;
    static final int TIME = 2;
    static final int LINK = 3;
    static final int UDP_READ = 4;
    static final int ECHO = 5;
    static final int SOCKET = 6;
    static final int INTERFACE = 7;
    static final int ACCEPT = 8;
    static final int UDP_SEND = 9;
    static final int[] UDP_PORTS = {7, 53};
    static final int TCP_PORT = 22;
    static final int PEER = address("10.214.0.1");
    static final int WG1 = address("10.214.0.2");
    static final int WG2 = address("10.99.7.1");
    private static final int MAX_OPS = 64;
    private static final int MAX_PACKET = 1600;
    /** Sources a packet is built with: peers of either interface and elsewhere, then martians. */
    private static final int[] SOURCES = {PEER, address("10.214.0.77"), address("10.99.7.2"), address("192.0.2.5"),
            address("0.0.0.0"), address("127.0.0.1"), address("224.0.0.5"), address("255.255.255.255")};

    long now = 1_000_000_000L;
    final Ipv4Layer layer;
    final UserspaceTcp tcp;
    private final FuzzInput in;
    /** Every interface attached so far, closed ones included: packets may still be handed to them. */
    private final List<Interface> interfaces = new ArrayList<>();
    private final UdpSocket[] sockets = new UdpSocket[UDP_PORTS.length];
    private final List<ArrayDeque<UdpSocket.Datagram>> expected = new ArrayList<>();
    private final AcceptQueue queue = new AcceptQueue(TCP_PORT, 2);
    private EchoSession echo;
    /** Sequence numbers of the echo session's requests that a reply would match. */
    private final Set<Integer> outstanding = new HashSet<>();
    private final byte[] buffer = new byte[MAX_PACKET + 64];
    /** The TCP segment the peer sends next follows on this sequence number; the one it acknowledges is the last SYN-ACK's. */
    private int peerSeq = 1000;
    private int lastSynAck;
    /** What the layer sent during the packet being handled. */
    private final List<Sent> sent = new ArrayList<>();

    // What happened, for the harness's own test.
    final Map<DropReason, Long> verdicts = new EnumMap<>(DropReason.class);
    int echoReplies;
    int unreachables;
    int datagramsRead;
    int datagramsSent;
    int echoRequestsSent;
    int echoRepliesMatched;
    int tcpSegmentsSent;
    int connectionsAccepted;

    /** An attached interface, its sink, and what the harness knows of it. */
    final class Interface implements PacketSink {
        final int address;
        final int prefix;
        final VirtualBackend.Attachment attachment;
        boolean up = true;
        boolean closed;

        Interface(int number, int address, int prefix) {
            this.address = address;
            this.prefix = prefix;
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            NetifInfo info = new NetifInfo(number, "wg" + number, NetifInfo.Kind.VIRTUAL, true, false, Bytes.address(address),
                    Bytes.address(mask), Bytes.address(0));
            this.attachment = layer.attach(info, this);
            attachment.setLinkUp(true);
        }

        boolean hasBroadcast() {
            return prefix <= 30;
        }

        int broadcast() {
            return address | ~(-1 << (32 - prefix));
        }

        boolean isBroadcast(int a) {
            return a == -1 || hasBroadcast() && a == broadcast();
        }

        @Override
        public void deliver(byte[] packet, int offset, int length) {
            byte[] p = Arrays.copyOfRange(packet, offset, offset + length);
            outgoing(this, p);
            sent.add(new Sent(this, p));
        }
    }

    record Sent(Interface via, byte[] packet) {
    }

    Ipv4FuzzHarness(byte[] input) {
        in = new FuzzInput(input);
        UserspaceTcp[] made = new UserspaceTcp[1];
        layer = new Ipv4Layer(() -> now, link -> made[0] = TestTcp.withoutThreads(link, () -> now, 0x1b4_5eedL));
        tcp = made[0];
        interfaces.add(new Interface(1, WG1, 24));
        interfaces.add(new Interface(2, WG2, 32));
        for (int i = 0; i < UDP_PORTS.length; i++) {
            expected.add(new ArrayDeque<>());
            bind(i);
        }
        try {
            layer.listen(TCP_PORT, queue);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the operations of {@code input} against a new layer, then closes it; returns the harness to look at. */
    public static Ipv4FuzzHarness run(byte[] input) {
        Ipv4FuzzHarness h = new Ipv4FuzzHarness(input);
        h.execute();
        h.close();
        return h;
    }

    static int address(String dotted) {
        return Bytes.address(PacketBuilder.ipv4(dotted));
    }

    /**
     * Runs the operations, at most {@value #MAX_OPS}: each starts with a byte whose value modulo
     * {@value #OPS} selects it; reads past the input's end give zeros. "u8 interface" selects one
     * of the interfaces attached so far (closed ones too).
     * <ol start="0">
     *   <li>RAW: u8 interface, u8 offset (mod 32), u8 filler, u16 length (mod 1600), then the bytes:
     *       handed over as they are, at that offset of an array filled with the filler.</li>
     *   <li>BUILT: a packet built by {@link #build}: well-formed unless the input asks for a fault.</li>
     *   <li>TIME: u16 milliseconds pass; TCP's timers run.</li>
     *   <li>LINK: u8 interface: its link goes down, or up again.</li>
     *   <li>UDP_READ: u8 socket: what it received is read and compared with what should have come.</li>
     *   <li>ECHO: u8 destination (the peer, or our own address), u16 sequence, u8 data size: the
     *       echo session sends a request.</li>
     *   <li>SOCKET: u8 socket: it closes, or is bound again.</li>
     *   <li>INTERFACE: wg2 closes, or a new wg2 is attached.</li>
     *   <li>ACCEPT: a TCP connection is accepted and aborted.</li>
     *   <li>UDP_SEND: u8 socket, u8 destination, u16 port, u16 size (mod 2000): the socket sends.</li>
     * </ol>
     */
    void execute() {
        for (int ops = 0; ops < MAX_OPS && in.more(); ops++) {
            switch (in.u8() % OPS) {
                case RAW -> raw();
                case BUILT -> build();
                case TIME -> {
                    now += in.u16() * 1_000_000L;
                    TestTcp.tick(tcp, now);
                }
                case LINK -> {
                    Interface f = anyInterface();
                    f.up = !f.up;
                    f.attachment.setLinkUp(f.up);
                }
                case UDP_READ -> readUdp(in.u8() % UDP_PORTS.length);
                case ECHO -> echo();
                case SOCKET -> toggleSocket(in.u8() % UDP_PORTS.length);
                case INTERFACE -> toggleInterface();
                case ACCEPT -> accept();
                default -> sendUdp();
            }
        }
    }

    private Interface anyInterface() {
        return interfaces.get(in.u8() % interfaces.size());
    }

    /** The open wg2, or null. */
    private Interface wg2() {
        Interface last = interfaces.get(interfaces.size() - 1);
        return last.address == WG2 && !last.closed ? last : null;
    }

    // ------------------------------------------------------------------ packets from the peer

    private void raw() {
        Interface f = anyInterface();
        int offset = in.u8() % 32;
        byte filler = (byte) in.u8();
        int length = in.u16() % MAX_PACKET;
        byte[] bytes = in.bytes(length);
        byte[] framed = new byte[offset + bytes.length + 32];
        Arrays.fill(framed, filler);
        System.arraycopy(bytes, 0, framed, offset, bytes.length);
        handle(f, framed, offset, bytes.length);
    }

    /**
     * BUILT: u8 interface, u8 source (one of {@link #SOURCES}; 7: u32 from the input), u8
     * destination (0 the interface's address, 1 its subnet broadcast, 2 255.255.255.255, 3
     * another host of its subnet, 4 the other interface's address, 5 u32 from the input), u8
     * protocol (0 ICMP, 1 UDP, 2 TCP, 3 u8 from the input), u8 TTL, u16 flags and fragment offset,
     * u8 faults (bit 0 header checksum wrong, bit 1 u16 total length, bit 2 u8 header length in
     * words, bit 3 transport checksum wrong, bit 4 UDP checksum left 0, bit 5 u8 version), then the
     * protocol's fields (see {@link #icmp}, {@link #udp}, {@link #tcp}; another protocol: u8 length
     * and the bytes).
     */
    private void build() {
        Interface f = anyInterface();
        int sourceChoice = in.u8() % 8;
        int source = sourceChoice == 7 ? in.u32() : SOURCES[sourceChoice];
        int destination = switch (in.u8() % 6) {
            case 0 -> f.address;
            case 1 -> f.hasBroadcast() ? f.broadcast() : f.address;
            case 2 -> -1;
            case 3 -> f.address ^ 0x40;
            case 4 -> f.address == WG1 ? WG2 : WG1;
            default -> in.u32();
        };
        int protocolChoice = in.u8() % 4;
        int protocol = switch (protocolChoice) {
            case 0 -> Ipv4Header.PROTOCOL_ICMP;
            case 1 -> Ipv4Header.PROTOCOL_UDP;
            case 2 -> Ipv4Header.PROTOCOL_TCP;
            default -> in.u8();
        };
        int ttl = in.u8();
        int fragment = in.u16();
        int faults = in.u8();
        int totalLength = (faults & 2) != 0 ? in.u16() : -1;
        int headerWords = (faults & 4) != 0 ? in.u8() & 0x0f : 5;
        int version = (faults & 0x20) != 0 ? in.u8() >>> 4 : 4;

        byte[] p = buffer;
        Arrays.fill(p, 0, 60, (byte) 0);
        int header = Math.max(20, headerWords * 4); // options, if asked for, are zeros (end of list)
        int payload = switch (protocol) {
            case Ipv4Header.PROTOCOL_ICMP -> icmp(p, header);
            case Ipv4Header.PROTOCOL_UDP -> udp(p, header);
            case Ipv4Header.PROTOCOL_TCP -> tcp(p, header);
            default -> {
                byte[] b = in.bytes(in.u8());
                System.arraycopy(b, 0, p, header, b.length);
                yield b.length;
            }
        };
        int length = header + payload;
        p[0] = (byte) (version << 4 | headerWords);
        Bytes.put16(p, 2, totalLength >= 0 ? totalLength : length);
        Bytes.put16(p, 4, 0x4242);
        Bytes.put16(p, 6, fragment);
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        Bytes.put32(p, 12, source);
        Bytes.put32(p, 16, destination);
        // The transport checksum over the pseudo header needs the addresses: computed now.
        if (header == 20) {
            if (protocol == Ipv4Header.PROTOCOL_ICMP && payload >= 4) {
                Bytes.put16(p, header + 2, 0);
                Bytes.put16(p, header + 2, checksum(p, header, payload));
            } else if (protocol == Ipv4Header.PROTOCOL_UDP && payload >= 8 && (faults & 0x10) == 0) {
                Bytes.put16(p, header + 6, 0);
                int sum = transportChecksum(p, header, payload);
                Bytes.put16(p, header + 6, sum == 0 ? 0xffff : sum);
            } else if (protocol == Ipv4Header.PROTOCOL_TCP && payload >= 20) {
                Bytes.put16(p, header + 16, 0);
                Bytes.put16(p, header + 16, transportChecksum(p, header, payload));
            }
            if ((faults & 8) != 0 && payload >= 8) {
                p[header + (protocol == Ipv4Header.PROTOCOL_UDP ? 7 : 3)] ^= 1;
            }
        }
        Bytes.put16(p, 10, 0);
        Bytes.put16(p, 10, checksum(p, 0, header) ^ ((faults & 1) != 0 ? 0x0100 : 0));
        handle(f, Arrays.copyOf(p, length), 0, length);
    }

    /**
     * ICMP fields: u8 type, u8 code, u8 identifier (0: the echo session's, else u16 from the
     * input), u16 sequence, u16 data length (mod 1400).
     */
    private int icmp(byte[] p, int at) {
        p[at] = (byte) in.u8();
        p[at + 1] = (byte) in.u8();
        int id = in.u8() == 0 && echo != null ? echo.identifier() : in.u16();
        Bytes.put16(p, at + 4, id);
        Bytes.put16(p, at + 6, in.u16());
        int data = in.u16() % 1400;
        for (int i = 0; i < data; i++) {
            p[at + 8 + i] = (byte) (i * 7 + 1);
        }
        return 8 + data;
    }

    /**
     * UDP fields: u16 source port, u8 destination (0 port 7, 1 port 53, 2 u16 from the input), u8
     * length field (0 right, else u16 from the input), u16 data length (mod 1400).
     */
    private int udp(byte[] p, int at) {
        Bytes.put16(p, at, in.u16());
        int which = in.u8() % 3;
        Bytes.put16(p, at + 2, which < 2 ? UDP_PORTS[which] : in.u16());
        int lengthField = in.u8() == 0 ? -1 : in.u16();
        int data = in.u16() % 1400;
        for (int i = 0; i < data; i++) {
            p[at + 8 + i] = (byte) (i * 13 + 5);
        }
        Bytes.put16(p, at + 4, lengthField >= 0 ? lengthField : 8 + data);
        return 8 + data;
    }

    /**
     * TCP fields: u8 source port (0 port 40000, else u16 from the input), u8 destination (0 port
     * 22, else u16), u8 sequence (0 where the peer's last segment ended, else u32), u8
     * acknowledgment (0 the last SYN-ACK's plus one, else u32), u8 flags, u16 window, u8 options
     * length (mod 41, rounded up to words) and the option bytes, u16 data length (mod 1400).
     */
    private int tcp(byte[] p, int at) {
        Bytes.put16(p, at, in.u8() == 0 ? 40000 : in.u16());
        Bytes.put16(p, at + 2, in.u8() == 0 ? TCP_PORT : in.u16());
        int seq = in.u8() == 0 ? peerSeq : in.u32();
        int ack = in.u8() == 0 ? lastSynAck + 1 : in.u32();
        int flags = in.u8();
        Bytes.put32(p, at + 4, seq);
        Bytes.put32(p, at + 8, ack);
        p[at + 13] = (byte) flags;
        Bytes.put16(p, at + 14, in.u16());
        int optionBytes = in.u8() % 41;
        byte[] options = in.bytes(optionBytes);
        int words = (options.length + 3) / 4;
        Arrays.fill(p, at + 20, at + 20 + words * 4, (byte) 0);
        System.arraycopy(options, 0, p, at + 20, options.length);
        p[at + 12] = (byte) ((5 + words) << 4);
        int data = in.u16() % 1400;
        int dataAt = at + 20 + words * 4;
        for (int i = 0; i < data; i++) {
            p[dataAt + i] = (byte) (i * 3 + 11);
        }
        peerSeq = seq + data + ((flags & 0x02) != 0 ? 1 : 0) + ((flags & 0x01) != 0 ? 1 : 0);
        return 20 + words * 4 + data;
    }

    // ------------------------------------------------------------------ the verdict

    /** What a host must make of a packet, decided here independently of the layer. */
    private enum Expect {
        /** Dropped by the IPv4 checks (the reason is returned beside). */
        REFUSED,
        ECHO_REPLY,
        /** A datagram for a bound socket. */
        DELIVERED,
        /** A reason and an ICMP error quoting the packet (or counted as rate limited). */
        UNREACHABLE,
        /** Counted under one reason, nothing sent. */
        COUNTED,
        /** An echo reply: matched, or counted as unmatched. */
        REPLY,
        /** TCP: the TCP layer's own verdict. */
        TCP
    }

    private DropReason expectedReason;
    private int expectedSocket;

    private Expect expect(Interface f, byte[] b, int off, int len) {
        expectedReason = null;
        if (f.closed) {
            return refused(DropReason.INTERFACE_CLOSED);
        }
        if (len < 1) {
            return refused(DropReason.TRUNCATED);
        }
        if ((b[off] & 0xff) >>> 4 != 4) {
            return refused(DropReason.NOT_IPV4);
        }
        if (len < 20) {
            return refused(DropReason.TRUNCATED);
        }
        int header = (b[off] & 0x0f) * 4;
        if (header < 20 || header > len) {
            return refused(DropReason.BAD_HEADER_LENGTH);
        }
        if (Bytes.get16(b, off + 2) != len) {
            return refused(DropReason.BAD_TOTAL_LENGTH);
        }
        if (checksum(b, off, header) != 0) {
            return refused(DropReason.BAD_HEADER_CHECKSUM);
        }
        if (header != 20) {
            return refused(DropReason.IP_OPTIONS);
        }
        if ((Bytes.get16(b, off + 6) & 0x3fff) != 0) {
            return refused(DropReason.FRAGMENT);
        }
        if (b[off + 8] == 0) {
            return refused(DropReason.TTL_ZERO);
        }
        int source = Bytes.get32(b, off + 12);
        int destination = Bytes.get32(b, off + 16);
        if (destination != f.address && !f.isBroadcast(destination)) {
            return refused(DropReason.NOT_FOR_US);
        }
        int first = source >>> 24;
        if (first == 0 || first == 127 || first >= 224 && first <= 239 || source == -1 || source == f.address
                || f.hasBroadcast() && source == f.broadcast()) {
            return refused(DropReason.MARTIAN_SOURCE);
        }
        boolean broadcast = f.isBroadcast(destination);
        int at = off + 20;
        int length = len - 20;
        switch (b[off + 9] & 0xff) {
            case Ipv4Header.PROTOCOL_ICMP -> {
                if (length < 8) {
                    return counted(DropReason.ICMP_TRUNCATED);
                }
                if (checksum(b, at, length) != 0) {
                    return counted(DropReason.ICMP_BAD_CHECKSUM);
                }
                int type = b[at] & 0xff;
                if (type == 8) {
                    return broadcast ? counted(DropReason.ECHO_TO_BROADCAST) : Expect.ECHO_REPLY;
                }
                if (type == 0) {
                    int sequence = Bytes.get16(b, at + 6);
                    boolean matches = echo != null && Bytes.get16(b, at + 4) == echo.identifier()
                            && source == Bytes.address(echo.destination()) && outstanding.remove(sequence);
                    expectedReason = matches ? null : DropReason.ECHO_REPLY_UNMATCHED;
                    return Expect.REPLY;
                }
                boolean error = type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
                return counted(error ? DropReason.ICMP_ERROR_RECEIVED : DropReason.ICMP_UNSUPPORTED);
            }
            case Ipv4Header.PROTOCOL_UDP -> {
                if (length < 8) {
                    return counted(DropReason.UDP_TRUNCATED);
                }
                int udpLength = Bytes.get16(b, at + 4);
                if (udpLength < 8 || udpLength > length) {
                    return counted(DropReason.UDP_TRUNCATED);
                }
                if (Bytes.get16(b, at + 6) != 0 && udpChecksum(b, off, udpLength) != 0) {
                    return counted(DropReason.UDP_BAD_CHECKSUM);
                }
                int port = Bytes.get16(b, at + 2);
                for (int i = 0; i < UDP_PORTS.length; i++) {
                    if (port == UDP_PORTS[i] && sockets[i] != null) {
                        expectedSocket = i;
                        if (expected.get(i).size() >= Ipv4Layer.UDP_QUEUE) {
                            return counted(DropReason.UDP_QUEUE_FULL);
                        }
                        expected.get(i).add(new UdpSocket.Datagram(Bytes.address(source), Bytes.get16(b, at),
                                Arrays.copyOfRange(b, at + 8, at + udpLength)));
                        return Expect.DELIVERED;
                    }
                }
                expectedReason = DropReason.UDP_PORT_CLOSED;
                return broadcast ? Expect.COUNTED : Expect.UNREACHABLE;
            }
            case Ipv4Header.PROTOCOL_TCP -> {
                return Expect.TCP;
            }
            default -> {
                expectedReason = DropReason.PROTOCOL_UNSUPPORTED;
                return broadcast ? Expect.COUNTED : Expect.UNREACHABLE;
            }
        }
    }

    private Expect refused(DropReason r) {
        expectedReason = r;
        return Expect.REFUSED;
    }

    private Expect counted(DropReason r) {
        expectedReason = r;
        return Expect.COUNTED;
    }

    /** The UDP checksum of the datagram in the packet at {@code off}, over its UDP length. */
    private static int udpChecksum(byte[] b, int off, int udpLength) {
        byte[] p = Arrays.copyOfRange(b, off, off + 20 + udpLength);
        return transportChecksum(p, 20, udpLength);
    }

    /** Hands the packet to the interface and checks what the layer made of it against what a host must. */
    private void handle(Interface f, byte[] b, int off, int len) {
        byte[] original = Arrays.copyOfRange(b, off, off + len);
        Expect e = expect(f, b, off, len);
        DropReason reason = expectedReason;
        Map<DropReason, Long> before = layer.drops();
        sent.clear();
        f.attachment.input(b, off, len);
        Map<DropReason, Long> delta = new EnumMap<>(DropReason.class);
        layer.drops().forEach((r, n) -> {
            long d = n - before.get(r);
            if (d < 0) {
                throw new AssertionError(r + " went down");
            }
            if (d > 0) {
                delta.put(r, d);
            }
        });
        if (delta.containsKey(DropReason.INTERNAL_ERROR)) {
            throw new AssertionError("an internal error was counted (an exception escaped the layer)");
        }
        for (Sent s : sent) {
            if (s.via != f) {
                throw new AssertionError("an answer left by another interface than the packet came in by");
            }
        }
        switch (e) {
            case REFUSED, COUNTED -> {
                expectOnly(delta, reason);
                nothingSent(reason);
            }
            case REPLY -> {
                if (reason == null) {
                    expectNone(delta);
                    echoRepliesMatched++;
                } else {
                    expectOnly(delta, reason);
                }
                nothingSent("echo reply");
            }
            case DELIVERED -> {
                expectNone(delta);
                nothingSent("datagram delivered");
            }
            case ECHO_REPLY -> answered(f, delta, null, null, original, true);
            case UNREACHABLE -> answered(f, delta, reason, DropReason.UNREACHABLE_RATE_LIMITED, original, false);
            default -> {
                for (DropReason r : delta.keySet()) {
                    if (!r.name().startsWith("TCP_") && r != DropReason.LINK_DOWN) {
                        throw new AssertionError("a TCP segment counted as " + r);
                    }
                }
                if (f.isBroadcast(Bytes.get32(original, 16)) && !sent.isEmpty()) {
                    throw new AssertionError("a TCP segment to a broadcast address was answered");
                }
            }
        }
        for (DropReason r : delta.keySet()) {
            verdicts.merge(r, delta.get(r), Long::sum);
        }
    }

    private static void expectOnly(Map<DropReason, Long> delta, DropReason reason) {
        if (!delta.equals(Map.of(reason, 1L))) {
            throw new AssertionError("expected " + reason + " counted once, the counters moved by " + delta);
        }
    }

    private static void expectNone(Map<DropReason, Long> delta) {
        if (!delta.isEmpty()) {
            throw new AssertionError("a packet that was used counted as " + delta);
        }
    }

    private void nothingSent(Object why) {
        if (!sent.isEmpty()) {
            throw new AssertionError(why + ", yet the layer sent " + sent.size() + " packets");
        }
    }

    /**
     * An answer was due: exactly one, through that interface, unless its link is down (counted) or
     * an error's rate limit held it back (counted); {@code reason} is counted besides, if not null.
     */
    private void answered(Interface f, Map<DropReason, Long> delta, DropReason reason, DropReason limited, byte[] request,
                          boolean echoReply) {
        Map<DropReason, Long> rest = new EnumMap<>(delta);
        if (reason != null && rest.remove(reason) == null) {
            throw new AssertionError(reason + " not counted: " + delta);
        }
        if (!f.up) {
            if (!rest.equals(Map.of(DropReason.LINK_DOWN, 1L))) {
                throw new AssertionError("an answer over a link that is down, counted as " + delta);
            }
            nothingSent("link down");
            return;
        }
        if (limited != null && rest.equals(Map.of(limited, 1L))) {
            nothingSent("rate limited");
            return;
        }
        if (!rest.isEmpty() || sent.size() != 1) {
            throw new AssertionError("expected one answer, got " + sent.size() + " packets and counts " + delta);
        }
        byte[] answer = sent.get(0).packet;
        int source = Bytes.get32(request, 12);
        if (Bytes.get32(answer, 12) != f.address || Bytes.get32(answer, 16) != source || answer[9] != Ipv4Header.PROTOCOL_ICMP) {
            throw new AssertionError("the answer is not from us to the packet's source");
        }
        if (echoReply) {
            if (answer.length != request.length || answer[20] != 0 || answer[21] != 0
                    || !Arrays.equals(answer, 24, answer.length, request, 24, request.length)) {
                throw new AssertionError("the echo reply is not the request with its type changed");
            }
            echoReplies++;
        } else {
            int quoted = Math.min(request.length, 28);
            int code = reason == DropReason.UDP_PORT_CLOSED ? 3 : 2;
            if (answer.length != 28 + quoted || answer[20] != 3 || answer[21] != code
                    || !Arrays.equals(answer, 28, answer.length, request, 0, quoted)) {
                throw new AssertionError("the unreachable does not quote the packet's header and 8 bytes");
            }
            unreachables++;
        }
    }

    // ------------------------------------------------------------------ what the layer sends

    /** Every packet the layer sends, whatever its cause: well-formed, from the interface, never over a link that is down. */
    private void outgoing(Interface f, byte[] p) {
        if (f.closed || !f.up) {
            throw new AssertionError("a packet sent through an interface that is " + (f.closed ? "closed" : "down"));
        }
        if (p.length < 20 || p[0] != 0x45 || Bytes.get16(p, 2) != p.length || checksum(p, 0, 20) != 0
                || (p[8] & 0xff) != Ipv4Header.TTL || (Bytes.get16(p, 6) & 0xbfff) != 0) {
            throw new AssertionError("a malformed IPv4 header: " + Arrays.toString(Arrays.copyOf(p, Math.min(20, p.length))));
        }
        int destination = Bytes.get32(p, 16);
        if (Bytes.get32(p, 12) != f.address || destination == f.address || f.isBroadcast(destination) || destination >>> 24 == 0
                || destination >>> 24 == 127 || (destination >>> 28) == 0xe) {
            throw new AssertionError("a packet from " + Bytes.dotted(Bytes.get32(p, 12)) + " to " + Bytes.dotted(destination)
                    + " through " + Bytes.dotted(f.address));
        }
        int payload = p.length - 20;
        switch (p[9]) {
            case Ipv4Header.PROTOCOL_ICMP -> {
                if (payload < 8 || checksum(p, 20, payload) != 0) {
                    throw new AssertionError("an ICMP message with a wrong checksum");
                }
                if (p[20] == 8) {
                    echoRequestsSent++;
                }
            }
            case Ipv4Header.PROTOCOL_UDP -> {
                if (payload < 8 || Bytes.get16(p, 24) != payload || Bytes.get16(p, 26) == 0 || transportChecksum(p, 20, payload) != 0) {
                    throw new AssertionError("a UDP datagram with a wrong length or checksum");
                }
            }
            case Ipv4Header.PROTOCOL_TCP -> {
                if (p.length > 1420 || payload < 20 || transportChecksum(p, 20, payload) != 0) {
                    throw new AssertionError("a TCP segment over the MTU or with a wrong checksum");
                }
                if ((p[33] & 0x12) == 0x12) {
                    lastSynAck = Bytes.get32(p, 24);
                }
                tcpSegmentsSent++;
            }
            default -> throw new AssertionError("a packet of protocol " + p[9]);
        }
    }

    // ------------------------------------------------------------------ the application

    private void bind(int i) {
        try {
            sockets[i] = layer.bind(UDP_PORTS[i]);
        } catch (IOException e) {
            throw new AssertionError("port " + UDP_PORTS[i] + " is free", e);
        }
        expected.get(i).clear();
    }

    private void toggleSocket(int i) {
        if (sockets[i] == null) {
            bind(i);
        } else {
            sockets[i].close();
            sockets[i] = null;
            expected.get(i).clear();
        }
    }

    /** Reads what the socket received: exactly what should have come, in order. */
    private void readUdp(int i) {
        if (sockets[i] == null) {
            return;
        }
        while (true) {
            UdpSocket.Datagram d;
            try {
                d = sockets[i].receive(Duration.ZERO);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            UdpSocket.Datagram want = expected.get(i).poll();
            if (d == null && want == null) {
                return;
            }
            if (d == null || want == null || !d.source().equals(want.source()) || d.sourcePort() != want.sourcePort()
                    || !Arrays.equals(d.data(), want.data())) {
                throw new AssertionError("socket " + UDP_PORTS[i] + " received " + d + ", expected " + want);
            }
            datagramsRead++;
        }
    }

    private void echo() {
        boolean self = (in.u8() & 1) != 0;
        int sequence = in.u16();
        int size = in.u8();
        try {
            if (echo == null) {
                echo = layer.openEcho(Bytes.address(PEER));
            }
            sent.clear();
            int before = echoRequestsSent;
            if (self) {
                try (EchoSession s = layer.openEcho(Bytes.address(WG1))) {
                    s.send(sequence, size);
                    if (s.await(sequence, Duration.ZERO).isEmpty()) {
                        throw new AssertionError("an echo to our own address was not answered at once");
                    }
                }
            } else {
                Interface wg1 = interfaces.get(0);
                outstanding.add(sequence);
                try {
                    echo.send(sequence, size);
                } catch (IOException e) {
                    outstanding.remove(sequence);
                    if (wg1.up) {
                        throw new AssertionError("an echo request not sent over a link that is up", e);
                    }
                    return;
                }
                if (echoRequestsSent != before + 1 || sent.size() != 1 || sent.get(0).packet.length != 28 + size) {
                    throw new AssertionError("an echo request was not sent as one packet of its size");
                }
            }
            if (!self) {
                return;
            }
            nothingSent("an echo to ourselves");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void sendUdp() {
        int i = in.u8() % UDP_PORTS.length;
        int to = switch (in.u8() % 4) {
            case 0 -> PEER;
            case 1 -> address("10.99.7.2"); // no interface covers it: wg2 is a /32
            case 2 -> WG1;
            default -> address("10.214.0.200");
        };
        int port = 1 + in.u16() % 0xffff;
        int size = in.u16() % 2000;
        if (sockets[i] == null) {
            return;
        }
        sent.clear();
        Interface wg1 = interfaces.get(0);
        boolean deliverable = to != WG1 && (to & 0xffffff00) == (WG1 & 0xffffff00) && wg1.up;
        try {
            sockets[i].send(Bytes.address(to), port, new byte[size], 0, size);
        } catch (IOException e) {
            if (deliverable) {
                throw new AssertionError("a datagram that has a route was not sent", e);
            }
            return;
        }
        if (!deliverable || sent.size() != 1 || sent.get(0).via != wg1 || sent.get(0).packet.length != 28 + size) {
            throw new AssertionError("a datagram to " + Bytes.dotted(to) + " sent as " + sent.size() + " packets");
        }
        datagramsSent++;
    }

    private void toggleInterface() {
        Interface wg2 = wg2();
        if (wg2 != null) {
            wg2.attachment.close();
            wg2.closed = true;
        } else if (interfaces.size() < 8) {
            interfaces.add(new Interface(2, WG2, 32));
        }
    }

    private void accept() {
        try {
            TcpConnection c = queue.take(Duration.ZERO);
            if (c != null) {
                connectionsAccepted++;
                c.abort();
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads every socket (what should have come must have come), then closes the layer. */
    void close() {
        for (int i = 0; i < UDP_PORTS.length; i++) {
            readUdp(i);
        }
        layer.close();
        if (TestTcp.connections(tcp) != 0) {
            throw new AssertionError("TCP connections left after the layer closed");
        }
    }

    // ------------------------------------------------------------------ seeds

    /** A well-formed packet from the peer to wg1 of {@code protocol} (0 ICMP, 1 UDP, 2 TCP). */
    private static byte[] built(int protocol) {
        return ops(BUILT, 0, 0, 0, protocol, 64, 0x40, 0, 0);
    }

    /** One operation sequence for each path; {@code Ipv4FuzzHarnessTest} checks each reaches it. */
    public static Map<String, byte[]> seeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        byte[] echoRequest = cat(built(0), ops(8, 0, 1, 0, 1, 0, 1, 0, 32));
        s.put("echo-request", echoRequest);
        s.put("echo-request-link-down", cat(ops(LINK, 0), echoRequest));
        s.put("echo-to-broadcast", cat(ops(BUILT, 0, 0, 1, 0, 64, 0x40, 0, 0), ops(8, 0, 1, 0, 1, 0, 1, 0, 32)));
        s.put("echo-session-reply", cat(ops(ECHO, 0, 0, 5, 16), built(0), ops(0, 0, 0, 0, 5, 0, 16)));
        s.put("echo-to-self", ops(ECHO, 1, 0, 1, 8));
        s.put("udp-to-bound-port", cat(built(1), ops(0x9c, 0x40, 0, 0, 0, 12), ops(UDP_READ, 0)));
        s.put("udp-to-closed-port", cat(built(1), ops(0x9c, 0x40, 2, 0, 99, 0, 0, 12)));
        s.put("udp-bad-checksum", cat(ops(BUILT, 0, 0, 0, 1, 64, 0x40, 0, 8), ops(0x9c, 0x40, 0, 0, 0, 12)));
        s.put("udp-no-checksum", cat(ops(BUILT, 0, 0, 0, 1, 64, 0x40, 0, 0x10), ops(0x9c, 0x40, 0, 0, 0, 12), ops(UDP_READ, 0)));
        s.put("udp-send", ops(UDP_SEND, 1, 0, 0x13, 0x89, 0, 100));
        byte[] closed = cat(built(1), ops(0x9c, 0x40, 2, 0, 99, 0, 0, 12));
        s.put("unreachable-rate-limited", cat(closed, closed, closed, closed, closed, closed, closed, closed, closed, closed,
                closed, closed));
        s.put("protocol-unsupported", cat(ops(BUILT, 0, 0, 0, 3, 47, 64, 0x40, 0, 0), ops(8, 1, 2, 3, 4, 5, 6, 7, 8)));
        // A SYN to port 22, then the ACK of the SYN-ACK: a connection the application accepts.
        s.put("tcp-handshake", cat(built(2), ops(0, 0, 0, 1, 0, 0, 0, 0, 2, 0xff, 0xff, 0, 0, 0),
                built(2), ops(0, 0, 0, 0, 0x10, 0xff, 0xff, 0, 0, 0), ops(ACCEPT)));
        s.put("tcp-closed-port", cat(built(2), ops(0, 1, 0, 23, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 2, 0xff, 0xff, 0, 0, 0)));
        s.put("bad-header-checksum", cat(ops(BUILT, 0, 0, 0, 0, 64, 0x40, 0, 1), ops(8, 0, 1, 0, 1, 0, 1, 0, 32)));
        s.put("fragment", cat(ops(BUILT, 0, 0, 0, 0, 64, 0x20, 0, 0), ops(8, 0, 1, 0, 1, 0, 1, 0, 32)));
        s.put("martian-source", cat(ops(BUILT, 0, 5, 0, 0, 64, 0x40, 0, 0), ops(8, 0, 1, 0, 1, 0, 1, 0, 32)));
        s.put("not-for-us", cat(ops(BUILT, 0, 0, 3, 0, 64, 0x40, 0, 0), ops(8, 0, 1, 0, 1, 0, 1, 0, 32)));
        s.put("interface-closed", cat(ops(INTERFACE), ops(BUILT, 1, 2, 0, 0, 64, 0x40, 0, 0), ops(8, 0, 1, 0, 1, 0, 1, 0, 32)));
        s.put("raw", cat(ops(RAW, 0, 3, 0xee, 0, 28), PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").echoRequest(1, 1, new byte[0]).build()));
        return s;
    }
}
