package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpListener;
import org.wgkaraf.netif.ModuleTunnel;
import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.NamespaceJvm;
import org.wgkaraf.testsupport.interop.Prerequisites;

/**
 * Hostile and malformed segments aimed at a live connection to the Linux kernel, handed to the
 * module as if the tunnel had carried them from the server: each is counted by its reason and
 * dropped (or challenged), and the connection carries on; a SYN flood at a listener leaves it
 * open to a genuine client.
 */
class HostileSegmentsIT {
    private ModuleTunnel m;
    /** The last segment the module sent to the echo port: our SND.NXT, RCV.NXT and timestamps. */
    private final AtomicReference<Segment> lastToEcho = new AtomicReference<>();
    private final byte[] out = new byte[2000];

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    @BeforeEach
    void open() throws IOException {
        m = ModuleTunnel.open();
        m.tap = (p, o, l) -> {
            if (l >= 40 && p[o + 9] == 6) {
                Segment s = Packets.parse(Arrays.copyOfRange(p, o, o + l));
                if (s.destinationPort == 7001) {
                    lastToEcho.set(s);
                }
            }
        };
    }

    @AfterEach
    void close() {
        if (m != null) {
            m.close();
        }
    }

    private long drops(DropReason r) {
        return m.ip.drops().get(r);
    }

    /** A segment from the server's echo port to our port, as the tunnel would hand it over. */
    private void inject(int ourPort, int seq, int ack, int flags, int tsVal, int tsEcr, byte[] data, boolean corrupt) {
        int server = Bytes.address(m.server());
        int module = Bytes.address(ModuleTunnel.address(m.moduleAddress));
        SegmentWriter.header(out, 7001, ourPort, seq, ack, flags, 1000);
        int at = SegmentWriter.timestamps(out, SegmentWriter.OPTIONS, tsVal, tsEcr);
        System.arraycopy(data, 0, out, at, data.length);
        int n = SegmentWriter.finish(out, at, data.length, server, module, 99);
        if (corrupt) {
            out[n - 1] ^= 0x55;
            if (data.length == 0) {
                out[SegmentWriter.TCP + TcpHeader.WINDOW] ^= 0x55;
            }
        }
        m.netif.input(out, 0, n);
    }

    private void echoRoundTrip(TcpConnection c, String what) throws IOException {
        byte[] msg = new byte[1000];
        new Random(what.hashCode()).nextBytes(msg);
        c.output().write(msg);
        byte[] got = new byte[msg.length];
        InputStream in = c.input();
        int off = 0;
        while (off < got.length) {
            int n = in.read(got, off, got.length - off);
            assertTrue(n > 0, what + ": the echo stream ended\n" + m.diagnostics());
            off += n;
        }
        assertTrue(Arrays.equals(msg, got), what + ": echo intact");
    }

    @Test
    void malformedAndForgedSegmentsAreCountedAndDroppedAndTheConnectionSurvives() throws Exception {
        NamespaceJvm echo = m.kernelPeer("echo", m.serverAddress, "7001");
        echo.awaitLine("ready", Duration.ofSeconds(30), "ready"::equals);
        try (TcpConnection c = m.tcp.connect(m.server(), 7001, Duration.ofSeconds(10))) {
            echoRoundTrip(c, "before");
            Segment ours = lastToEcho.get();
            int port = c.local().getPort();
            int rcvNxt = ours.ack;
            int sndNxt = ours.seq;
            int ts = ours.tsEcr + 1; // newer than the kernel's last timestamp: passes PAWS

            long checksum = drops(DropReason.TCP_BAD_CHECKSUM);
            inject(port, rcvNxt, sndNxt, TcpHeader.ACK | TcpHeader.PSH, ts, ours.tsVal, "poison".getBytes(), true);
            assertEquals(checksum + 1, drops(DropReason.TCP_BAD_CHECKSUM), "bad checksum");

            long window = drops(DropReason.TCP_OUT_OF_WINDOW);
            inject(port, rcvNxt + (64 << 20), sndNxt, TcpHeader.ACK | TcpHeader.PSH, ts, ours.tsVal, "far ahead".getBytes(), false);
            assertEquals(window + 1, drops(DropReason.TCP_OUT_OF_WINDOW), "data outside the window");

            long rstOut = drops(DropReason.TCP_RST_OUT_OF_WINDOW);
            inject(port, rcvNxt + (512 << 20), 0, TcpHeader.RST, 0, 0, new byte[0], false);
            assertEquals(rstOut + 1, drops(DropReason.TCP_RST_OUT_OF_WINDOW), "reset with a wrong sequence number");

            long challenged = drops(DropReason.TCP_RST_CHALLENGED);
            lastToEcho.set(null);
            inject(port, rcvNxt + 5000, 0, TcpHeader.RST, 0, 0, new byte[0], false);
            assertEquals(challenged + 1, drops(DropReason.TCP_RST_CHALLENGED), "reset in the window, not exact");
            Await.until("a challenge ACK went out", Duration.ofSeconds(2), () -> {
                Segment s = lastToEcho.get();
                return s != null && s.flags == TcpHeader.ACK && s.ack == rcvNxt;
            });

            long unsent = drops(DropReason.TCP_ACK_UNSENT);
            inject(port, rcvNxt, sndNxt + (1 << 20), TcpHeader.ACK, ts, ours.tsVal, new byte[0], false);
            assertEquals(unsent + 1, drops(DropReason.TCP_ACK_UNSENT), "ACK of data never sent");

            long syn = drops(DropReason.TCP_SYN_CHALLENGED);
            inject(port, 12345, 0, TcpHeader.SYN, ts, 0, new byte[0], false);
            assertEquals(syn + 1, drops(DropReason.TCP_SYN_CHALLENGED), "SYN on an open connection");

            echoRoundTrip(c, "after the attack");
            assertEquals(Map.of("ESTABLISHED", 1), m.tcp.status().connections());
        }
    }

    @Test
    void aSynFloodLeavesTheListenerOpenToAGenuineClient() throws Exception {
        try (TcpListener listener = m.tcp.listen(7002, 8)) {
            int server = Bytes.address(m.server());
            int module = Bytes.address(ModuleTunnel.address(m.moduleAddress));
            Random r = new Random(1);
            for (int i = 0; i < 3000; i++) {
                SegmentWriter.header(out, 1024 + r.nextInt(60000), 7002, r.nextInt(), 0, TcpHeader.SYN, 65535);
                int n = SegmentWriter.finish(out, SegmentWriter.OPTIONS, 0, server, module, i);
                m.netif.input(out, 0, n);
            }
            int halfOpen = m.tcp.status().connections().getOrDefault("SYN_RECEIVED", 0);
            assertTrue(halfOpen <= TcpConfig.DEFAULTS.maxHalfOpenPerPort(), "half-open connections stay bounded: " + halfOpen);
            // The kernel resets the SYN-ACKs sent to its address, which frees places too; the
            // queue still filled up faster than that, and each eviction was counted.
            assertTrue(drops(DropReason.TCP_SYN_QUEUE_FULL) > 0, "the flood is counted: " + m.tcp.status().drops());

            NamespaceJvm client = m.kernelPeer("send", m.moduleAddress, "7002", "5", "1000");
            TcpConnection c = listener.accept(Duration.ofSeconds(30));
            assertNotNull(c, "the genuine client got in\n" + client.diagnostics() + "\n" + m.diagnostics());
            assertEquals(m.serverAddress, c.remote().getAddress().getHostAddress());
            assertEquals(1000, c.input().readAllBytes().length);
            c.close();
        }
    }
}
