package org.wgkaraf.engine.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.List;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.engine.core.CoreOutput;
import org.wgkaraf.engine.core.Device;
import org.wgkaraf.engine.core.Peer;
import org.wgkaraf.engine.core.TimeSource;
import org.wgkaraf.engine.crypto.TransportCipher;
import org.wgkaraf.engine.crypto.X25519;

/** Two devices wired back to back in memory, with a clock the benchmark moves. */
final class BenchPair {
    static final class Clock implements TimeSource {
        long nanos = 1_000_000_000_000L;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long wallClockNanos() {
            return 1_700_000_000_000_000_000L + nanos;
        }
    }

    /** Keeps the last datagram sent by copying it into a fixed buffer. */
    static final class Capture implements CoreOutput {
        final byte[] datagram = new byte[70_000];
        int datagramLength;
        int datagrams;

        @Override
        public void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len) {
            System.arraycopy(buf, off, datagram, 0, len);
            datagramLength = len;
            datagrams++;
        }
    }

    final Clock clock = new Clock();
    final Device a;
    final Device b;
    final Peer aToB;
    final InetSocketAddress addrA;
    final InetSocketAddress addrB;
    final Capture outA = new Capture();
    final Capture outB = new Capture();

    BenchPair(TransportCipher.Factory aead) {
        SecureRandom random = new SecureRandom();
        SecretKey ka = key(random);
        SecretKey kb = key(random);
        a = new Device(ka, clock, random, aead);
        b = new Device(kb, clock, random, aead);
        try {
            addrA = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) 213, 0, 1}), 40000);
            addrB = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) 213, 0, 2}), 51820);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        aToB = a.addPeer(new PeerConfig(b.publicKey(), null, new Endpoint("10.213.0.2", 51820),
                List.of(IpPrefix.parse("10.214.0.0/24")), 0));
        a.setEndpoint(aToB, addrB);
        b.addPeer(new PeerConfig(a.publicKey(), null, null, List.of(IpPrefix.parse("10.214.1.0/24")), 0));
    }

    private static SecretKey key(SecureRandom random) {
        byte[] k = new byte[32];
        X25519.generatePrivateKey(random, k);
        return SecretKey.of(k);
    }

    /** One complete handshake: initiation, response, and the confirming keepalive. */
    void handshake() {
        clock.nanos += 6_000_000_000L; // past REKEY_TIMEOUT, so an initiation may go out
        a.initiate(aToB, clock.nanos, outA);
        b.receive(outA.datagram, 0, outA.datagramLength, addrA, clock.nanos, outB);
        a.receive(outB.datagram, 0, outB.datagramLength, addrB, clock.nanos, outA);
        b.receive(outA.datagram, 0, outA.datagramLength, addrA, clock.nanos, outB);
    }

    static byte[] packet(int size) {
        byte[] p = new byte[size];
        p[0] = 0x45;
        p[2] = (byte) (size >>> 8);
        p[3] = (byte) size;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10;
        p[13] = (byte) 214;
        p[14] = 1;
        p[15] = 1;
        p[16] = 10;
        p[17] = (byte) 214;
        p[18] = 0;
        p[19] = 1;
        return p;
    }
}
