package org.wgkaraf.engine.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.wgkaraf.engine.crypto.Transport;

/** Complete handshakes per second: initiation, response and confirming keepalive, both sides' work. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {
    private BenchPair pair;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        pair = new BenchPair(Transport.factory());
        System.out.println("Transport.choice(): " + Transport.awaitChoice());
    }

    @Benchmark
    public int handshake() {
        pair.handshake();
        return pair.outB.datagrams;
    }
}
