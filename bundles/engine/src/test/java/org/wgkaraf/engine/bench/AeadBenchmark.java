package org.wgkaraf.engine.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.wgkaraf.engine.crypto.Transport;
import org.wgkaraf.engine.crypto.TransportCipher;
import org.wgkaraf.engine.crypto.TransportProvider;

/**
 * Seal and open of one transport packet with each AEAD provider, in place as the engine does it.
 * Run: mvn -B -Pbench -DskipTests -pl bundles/engine -am verify -Djmh.args="AeadBenchmark -prof gc"
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBenchmark {
    /** Distinct counters for the packets we open in turn: the JDK cipher handles a repeated nonce specially. */
    private static final int RING = 8;

    @Param({"bc", "jce", "java"})
    public String provider;

    @Param({"64", "1420", "16384"})
    public int size;

    private TransportCipher sender;
    private TransportCipher receiver;
    private byte[] buf;
    private byte[][] sealed;
    private long sendCounter;
    private int next;

    @Setup
    public void setUp() throws InterruptedException {
        // Shows what Transport's calibration picks in this (forked) JVM next to the figures.
        System.out.println("Transport.choice(): " + Transport.awaitChoice());
        TransportProvider p = TransportProvider.byId(provider).orElseThrow();
        Random random = new Random(1420);
        byte[] key = new byte[32];
        random.nextBytes(key);
        sender = p.factory().create(key);
        receiver = p.factory().create(key);
        buf = new byte[size + 16];
        random.nextBytes(buf);
        TransportCipher packer = p.factory().create(key);
        sealed = new byte[RING][size + 16];
        for (int i = 0; i < RING; i++) {
            byte[] plain = new byte[size];
            random.nextBytes(plain);
            packer.seal(1_000_000 + i, plain, 0, size, sealed[i], 0);
        }
        packer.destroy();
    }

    @TearDown
    public void tearDown() {
        sender.destroy();
        receiver.destroy();
    }

    @Benchmark
    public int seal() {
        // Whatever the buffer holds is the next plaintext: the cost does not depend on the bytes.
        return sender.seal(sendCounter++, buf, 0, size, buf, 0);
    }

    /** Includes copying the packet into the work buffer (a few percent of an open at 1420 bytes). */
    @Benchmark
    public int open() {
        int i = next;
        next = (i + 1) & (RING - 1);
        System.arraycopy(sealed[i], 0, buf, 0, size + 16);
        int n = receiver.open(1_000_000 + i, buf, 0, size + 16, buf, 0);
        if (n != size) {
            throw new IllegalStateException("open failed");
        }
        return n;
    }
}
