package org.wgkaraf.engine.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wgkaraf.engine.crypto.Transport;
import org.wgkaraf.engine.crypto.TransportCipher;
import org.wgkaraf.engine.crypto.TransportProvider;

/**
 * The engine's whole per-packet path, without sockets: route by allowed IPs, frame, pad, seal on
 * one device; classify, look up the index, check the replay window, open, check the inner source
 * on the other, which returns the inner packet's length. Run with {@code -prof gc}: gc.alloc.rate.norm shows bytes per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DeviceBenchmark {
    @Param({"64", "1420", "16384"})
    int size;

    /** "auto": what Transport's calibration picks; else a provider id (bc, jce, java) to compare them. */
    @Param({"auto"})
    String aead;

    private BenchPair pair;
    private byte[] packet;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        TransportCipher.Factory factory = "auto".equals(aead)
                ? Transport.factory()
                : TransportProvider.byId(aead).orElseThrow(() -> new IllegalArgumentException("unknown aead " + aead)).factory();
        pair = new BenchPair(factory);
        System.out.println("Transport.choice(): " + Transport.awaitChoice() + "; this run uses " + aead);
        pair.handshake();
        packet = BenchPair.packet(size);
    }

    /** One inner packet through both devices: send on a, receive on b. */
    @Benchmark
    public int sendAndReceive() {
        BenchPair p = pair;
        p.a.send(packet, 0, packet.length, p.clock.nanos, p.outA);
        return p.b.receive(p.outA.datagram, 0, p.outA.datagramLength, p.addrA, p.clock.nanos, p.outB);
    }
}
