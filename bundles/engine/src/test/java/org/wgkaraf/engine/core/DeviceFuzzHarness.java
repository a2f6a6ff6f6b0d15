package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything a peer controls in the engine, driven by bytes: a device B with one peer A, whose
 * session is up, takes a sequence of operations read from the input. The operations reach every
 * branch of {@link Device#receive}: raw datagrams from A's address or a stranger's, A's genuine
 * initiations and responses with bytes flipped (and their MACs made valid again or not),
 * transport messages sealed with the real session key around any plaintext (so inner packets of
 * any shape reach the parser and the allowed-IPs check), replays, time passing, a flood that puts
 * B under load, and the cookie exchange that follows.
 *
 * <p>Deterministic: fixed seeds and a fake clock, so an input that fails once fails every time and
 * can be kept as a fixed vector in a unit test ({@code DeviceFuzzRegressionTest}).
 *
 * <p>Checked after every datagram B takes, besides "never throws": what B hands to the host fits
 * in the datagram and comes from A's allowed IPs; B holds no more session indices than one peer
 * can use (three keypairs and a handshake).
 */
final class DeviceFuzzHarness {
    static final String A_INNER = "10.9.0.1";
    static final String B_INNER = "10.9.0.2";
    private static final InetSocketAddress STRANGER = TestNet.addr("203.0.113.9", 4000);
    private static final int MAX_OPS = 48;
    private static final int MAX_EXCHANGE = 64;

    private final TestNet net = new TestNet();
    private final TestNet.Node a = net.node("a", "192.0.2.1", 51820, 11);
    private final TestNet.Node b = net.node("b", "192.0.2.2", 51820, 22);
    private final List<byte[]> receivedByB = new ArrayList<>();
    private final byte[] sealed = new byte[Messages.TRANSPORT_HEADER_SIZE + 2048 + 16 + Constants.TAG_SIZE];
    private Input in;
    private int deliveredByB;
    /** What B sent while the harness set the session up; not counted by {@link #sentByB}. */
    private final int sentBySetup;

    /** A cursor over the input: reads past its end give zeros (and {@link #more()} says false). */
    private static final class Input {
        private final byte[] data;
        private int pos;

        Input(byte[] data) {
            this.data = data;
        }

        boolean more() {
            return pos < data.length;
        }

        int u8() {
            return pos < data.length ? data[pos++] & 0xff : 0;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        byte[] bytes(int n) {
            int k = Math.max(0, Math.min(n, data.length - pos));
            byte[] out = Arrays.copyOfRange(data, pos, pos + k);
            pos += k;
            return out;
        }
    }

    DeviceFuzzHarness() {
        TestNet.link(a, A_INNER + "/32", b, B_INNER + "/32", null, true, 0);
        a.send(TestNet.ipv4(A_INNER, B_INNER, 8));
        net.pump();
        if (b.peerOf(a).keypairs.current == null) {
            throw new IllegalStateException("the harness's session did not come up");
        }
        sentBySetup = b.sent.size();
    }

    /** Runs the operations of {@code input} against a new pair; returns the harness to look at. */
    static DeviceFuzzHarness run(byte[] input) {
        DeviceFuzzHarness h = new DeviceFuzzHarness();
        h.execute(input);
        return h;
    }

    /**
     * Runs the operations of {@code input}, at most {@value #MAX_OPS}. Each starts with a byte
     * whose value modulo 9 selects it; reads past the input's end give zeros.
     * <ol start="0">
     *   <li>RAW: u16 length (mod 2048), then that many bytes: a datagram from A's address.</li>
     *   <li>STRANGER: the same from an address B does not know.</li>
     *   <li>INITIATION: A sends an initiation (21 ms on, past B's flood limit); then the exchange.</li>
     *   <li>DATA: u8 payload length: A sends an IPv4 packet to B; then the exchange.</li>
     *   <li>SEALED: u16 length (mod 2048), then that many bytes: sealed as they are with A's
     *       session key and delivered (an empty one is a keepalive).</li>
     *   <li>TIME: u16 times 8 ms pass; both run their timers; then the exchange.</li>
     *   <li>REPLAY: u8 index: one of the datagrams B took before, again.</li>
     *   <li>FLOOD: 130 responses with a valid MAC1: B is under load for the next second.</li>
     *   <li>B_SENDS: u8 payload length: B sends an IPv4 packet to A; then the exchange.</li>
     * </ol>
     * The exchange delivers what A and B send each other until they stop; each datagram from A
     * first takes one byte of input ({@link #mutate}): 0 deliver, 1 drop, 2 flip bytes, 3 flip
     * bytes and recompute the MACs.
     */
    void execute(byte[] input) {
        in = new Input(input);
        for (int ops = 0; ops < MAX_OPS && in.more(); ops++) {
            switch (in.u8() % 9) {
                case 0 -> toB(in.bytes(in.u16() % 2048), a.address);
                case 1 -> toB(in.bytes(in.u16() % 2048), STRANGER);
                case 2 -> {
                    initiateNow();
                    exchange(true);
                }
                case 3 -> {
                    a.send(TestNet.ipv4(A_INNER, B_INNER, in.u8()));
                    exchange(true);
                }
                case 4 -> sealedByA(in.bytes(in.u16() % 2048));
                case 5 -> {
                    net.clock.advanceMillis(in.u16() * 8L);
                    a.tick();
                    b.tick();
                    exchange(true);
                }
                case 6 -> {
                    if (!receivedByB.isEmpty()) {
                        byte[] again = receivedByB.get(in.u8() % receivedByB.size());
                        toB(again.clone(), a.address);
                    }
                }
                case 7 -> flood();
                default -> {
                    b.send(TestNet.ipv4(B_INNER, A_INNER, in.u8()));
                    exchange(true);
                }
            }
        }
    }

    /**
     * A sends an initiation. Its own rule allows one per REKEY_TIMEOUT; the harness lifts it
     * rather than move the clock that far, so that B's state in time (under load, say) stays. The
     * clock moves just past B's flood limit (HANDSHAKE_INITIATION_RATE), so B may take it.
     */
    private void initiateNow() {
        net.clock.advanceMillis(Constants.HANDSHAKE_INITIATION_RATE / 1_000_000L + 1);
        a.peerOf(b).handshake.sentAny = false;
        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a);
    }

    /**
     * Delivers what A and B sent to each other, until neither sends more. Each datagram from A to
     * B passes through {@link #mutate} when {@code mutable}, which reads one byte of input for it.
     */
    private void exchange(boolean mutable) {
        for (int i = 0; i < MAX_EXCHANGE; i++) {
            TestNet.Datagram d = net.inFlight.poll();
            if (d == null) {
                return;
            }
            byte[] bytes = d.bytes().clone();
            if (d.from() == a) {
                if (mutable) {
                    bytes = mutate(bytes);
                }
                if (bytes != null) {
                    toB(bytes, a.address);
                }
            } else if (d.from() == b && d.to().equals(a.address)) {
                a.receive(bytes, 0, bytes.length, b.address);
            }
        }
        net.inFlight.clear();
    }

    /**
     * What the input does to one of A's datagrams (one byte, 0 when the input is used up):
     * deliver it, drop it, or flip some of its bytes (u8 count mod 8 plus one, then a u8 position
     * and a u8 mask for each)
     * and then (for a handshake message) recompute its MACs as A would, so that the flipped bytes
     * get past MAC1 and reach the Noise layer.
     */
    private byte[] mutate(byte[] d) {
        int how = in.u8() % 4;
        if (how == 0) {
            return d;
        }
        if (how == 1) {
            return null;
        }
        int flips = 1 + in.u8() % 8;
        for (int i = 0; i < flips && d.length > 0; i++) {
            d[in.u8() % d.length] ^= (byte) (1 + in.u8() % 255);
        }
        if (how == 3 && (d.length == Messages.INITIATION_SIZE || d.length == Messages.RESPONSE_SIZE)) {
            a.peerOf(b).cookies.addMacs(d, d.length, net.clock.nanoTime());
        }
        return d;
    }

    /** Any plaintext, sealed with A's real session key: a transport message only B's checks can refuse. */
    private void sealedByA(byte[] plaintext) {
        Keypair kp = a.peerOf(b).keypairs.current;
        if (kp == null || !kp.canSend(net.clock.nanoTime())) {
            return;
        }
        int n = kp.seal(plaintext, 0, plaintext.length, sealed);
        toB(Arrays.copyOf(sealed, n), a.address);
    }

    /** 130 responses with a valid MAC1 and unknown indices: more than B takes in a second before it is under load. */
    private void flood() {
        byte[] response = new byte[Messages.RESPONSE_SIZE];
        for (int i = 0; i <= Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND + 1; i++) {
            Messages.header(response, 0, Messages.TYPE_RESPONSE);
            Messages.putInt(response, Messages.RESPONSE_RECEIVER, 0x5eed0000 + i);
            a.peerOf(b).cookies.addMacs(response, Messages.RESPONSE_SIZE, net.clock.nanoTime());
            toB(response.clone(), a.address);
        }
        exchange(false);
    }

    // ------------------------------------------------------------------ what happened, for the harness's own test

    /** Inner packets B handed to the host. */
    int deliveredByB() {
        return deliveredByB;
    }

    long dropsOfB(org.wgkaraf.api.engine.DropReason reason) {
        return b.drops(reason);
    }

    /** Datagrams of this message type that B sent since the set-up. */
    long sentByB(byte type) {
        return b.sent.subList(sentBySetup, b.sent.size()).stream().filter(d -> d.type() == type).count();
    }

    // ------------------------------------------------------------------ real messages, for the seeds

    /** The initiation A would send now, not delivered. */
    byte[] nextInitiationFromA() {
        initiateNow();
        return takeFrom(a);
    }

    /** A transport message of A's session carrying an IPv4 packet with {@code payload} bytes, not delivered. */
    byte[] nextTransportFromA(int payload) {
        a.send(TestNet.ipv4(A_INNER, B_INNER, payload));
        return takeFrom(a);
    }

    /** A cookie reply B sends to A's initiation while under load, not delivered. */
    byte[] cookieReplyFromB() {
        flood();
        byte[] init = nextInitiationFromA();
        b.device.receive(init, 0, init.length, a.address, net.clock.nanoTime(), b);
        return takeFrom(b);
    }

    private byte[] takeFrom(TestNet.Node node) {
        TestNet.Datagram d;
        while ((d = net.inFlight.poll()) != null) {
            if (d.from() == node) {
                net.inFlight.clear();
                return d.bytes().clone();
            }
        }
        throw new IllegalStateException(node.name + " sent nothing");
    }

    /** B takes one datagram; what it yields is checked. */
    private void toB(byte[] datagram, InetSocketAddress from) {
        receivedByB.add(datagram.clone());
        int len = datagram.length;
        int inner = b.device.receive(datagram, 0, len, from, net.clock.nanoTime(), b);
        if (inner < 0 || (inner > 0 && inner > len - Messages.TRANSPORT_MIN_SIZE)) {
            throw new AssertionError("inner packet of " + inner + " bytes out of a datagram of " + len);
        }
        if (inner > 0) {
            deliveredByB++;
            int at = Device.INNER_OFFSET;
            if ((datagram[at] & 0xf0) != 0x40) {
                throw new AssertionError("delivered a non-IPv4 packet, but A's allowed IPs are IPv4 only");
            }
            byte[] source = Arrays.copyOfRange(datagram, at + 12, at + 16);
            if (!Arrays.equals(source, TestNet.addr(A_INNER, 0).getAddress().getAddress())) {
                throw new AssertionError("delivered a packet whose source is outside A's allowed IPs");
            }
        }
        if (b.device.indexCount() > 4) {
            throw new AssertionError("B holds " + b.device.indexCount() + " indices for one peer");
        }
    }
}
