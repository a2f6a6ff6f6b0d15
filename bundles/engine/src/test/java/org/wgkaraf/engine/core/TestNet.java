package org.wgkaraf.engine.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.engine.crypto.BcTransportCipher;
import org.wgkaraf.engine.crypto.X25519;

/**
 * An in-memory network of {@link Device}s under a {@link FakeClock}: datagrams are queued and
 * delivered by {@link #pump()}, so a test sees every message and decides which get lost.
 */
final class TestNet {
    record Datagram(Node from, InetSocketAddress source, InetSocketAddress to, byte[] bytes) {
        byte type() {
            return bytes[0];
        }
    }

    final class Node implements CoreOutput {
        final String name;
        final Device device;
        final SecretKey privateKey;
        final byte[] publicKey = new byte[32];
        InetSocketAddress address;
        final List<byte[]> delivered = new ArrayList<>();
        final List<Datagram> sent = new ArrayList<>();
        int staleCalls;

        Node(String name, InetSocketAddress address, long seed, org.wgkaraf.engine.crypto.TransportCipher.Factory aead) {
            this.name = name;
            this.address = address;
            byte[] k = new byte[32];
            SecureRandom keyRandom = seeded(seed);
            X25519.generatePrivateKey(keyRandom, k);
            X25519.publicKey(k, publicKey);
            this.privateKey = SecretKey.of(k);
            this.device = new Device(privateKey, clock, seeded(seed + 1000), aead);
        }

        @Override
        public void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len) {
            Datagram d = new Datagram(this, address, to, Arrays.copyOfRange(buf, off, off + len));
            sent.add(d);
            inFlight.add(d);
        }

        /** A datagram arrives from {@code source}; an inner packet it carries is kept in {@link #delivered}. */
        void receive(byte[] buf, int off, int len, InetSocketAddress source) {
            int inner = device.receive(buf, off, len, source, clock.nanoTime(), this);
            if (inner > 0) {
                delivered.add(Arrays.copyOfRange(buf, off + Device.INNER_OFFSET, off + Device.INNER_OFFSET + inner));
            }
        }

        @Override
        public void endpointStale(Peer peer) {
            staleCalls++;
        }

        Peer peerOf(Node other) {
            return device.peer(org.wgkaraf.api.engine.PublicKey.of(other.publicKey));
        }

        boolean send(byte[] packet) {
            return device.send(packet, 0, packet.length, clock.nanoTime(), this);
        }

        void tick() {
            device.tick(clock.nanoTime(), this);
        }

        long sentOfType(byte type) {
            return sent.stream().filter(d -> d.type() == type).count();
        }

        long drops(org.wgkaraf.api.engine.DropReason r) {
            return device.drops().getOrDefault(r, 0L);
        }
    }

    final FakeClock clock = new FakeClock();
    final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();
    final Map<InetSocketAddress, Node> nodes = new HashMap<>();
    /** Datagrams matching this are lost. */
    Predicate<Datagram> loss = d -> false;

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetSocketAddress addr(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Node node(String name, String ip, int port, long seed) {
        return node(name, ip, port, seed, BcTransportCipher.FACTORY);
    }

    Node node(String name, String ip, int port, long seed, org.wgkaraf.engine.crypto.TransportCipher.Factory aead) {
        Node n = new Node(name, addr(ip, port), seed, aead);
        nodes.put(n.address, n);
        return n;
    }

    /** Makes a and b peers; a knows b's endpoint, b learns a's unless {@code mutual}. */
    static void link(Node a, String aInner, Node b, String bInner, SecretKey psk, boolean mutual, int keepalive) {
        a.device.addPeer(new PeerConfig(org.wgkaraf.api.engine.PublicKey.of(b.publicKey), psk,
                new Endpoint(b.address.getAddress().getHostAddress(), b.address.getPort()),
                List.of(IpPrefix.parse(bInner)), keepalive));
        a.device.setEndpoint(a.peerOf(b), b.address);
        b.device.addPeer(new PeerConfig(org.wgkaraf.api.engine.PublicKey.of(a.publicKey), psk,
                mutual ? new Endpoint(a.address.getAddress().getHostAddress(), a.address.getPort()) : null,
                List.of(IpPrefix.parse(aInner)), 0));
        if (mutual) {
            b.device.setEndpoint(b.peerOf(a), a.address);
        }
    }

    /** Delivers queued datagrams (and what they cause) until none is left. */
    int pump() {
        int n = 0;
        Datagram d;
        while ((d = inFlight.poll()) != null) {
            if (++n > 100_000) {
                throw new AssertionError("datagram storm");
            }
            if (loss.test(d)) {
                continue;
            }
            Node to = nodes.get(d.to());
            if (to != null) {
                byte[] copy = d.bytes().clone();
                to.receive(copy, 0, copy.length, d.source());
            }
        }
        return n;
    }

    /** Advances time in steps, running every node's timers and the network after each. */
    void run(double seconds, double stepSeconds) {
        long end = clock.nanoTime() + (long) (seconds * 1e9);
        while (clock.nanoTime() < end) {
            clock.advanceSeconds(Math.min(stepSeconds, (end - clock.nanoTime()) / 1e9));
            for (Node node : new ArrayList<>(nodes.values())) {
                node.tick();
            }
            pump();
        }
    }

    /** An IPv4 UDP-like packet (protocol 17) of {@code payload} bytes, valid header, checksum not needed by the engine. */
    static byte[] ipv4(String src, String dst, int payload) {
        byte[] p = new byte[20 + payload];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        byte[] s = addr(src, 0).getAddress().getAddress();
        byte[] t = addr(dst, 0).getAddress().getAddress();
        System.arraycopy(s, 0, p, 12, 4);
        System.arraycopy(t, 0, p, 16, 4);
        for (int i = 20; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }
}
