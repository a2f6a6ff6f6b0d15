package org.wgkaraf.engine.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed inputs of the engine's fuzz targets: real messages taken from the harness's
 * deterministic pair, and an operation sequence for each path of {@link Device#receive}. Run it
 * after a change to {@link DeviceFuzzHarness}'s operations or set-up (docs/fuzzing.md):
 * {@code java -cp <test classpath> org.wgkaraf.engine.core.FuzzSeeds src/test/resources}
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        Path base = resources.resolve("org/wgkaraf/engine/core");
        write(base.resolve("DeviceReceiveFuzzTestInputs/receive"), deviceSeeds());
        write(base.resolve("MessagesFuzzTestInputs/parse"), messageSeeds());
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }

    /** The real messages of the harness's pair, as B would see them next. */
    record RealMessages(byte[] initiation, byte[] transport, byte[] cookieReply) {
        static RealMessages capture() {
            DeviceFuzzHarness h = new DeviceFuzzHarness();
            return new RealMessages(h.nextInitiationFromA(), h.nextTransportFromA(16), h.cookieReplyFromB());
        }
    }

    static Map<String, byte[]> deviceSeeds() {
        RealMessages real = RealMessages.capture();
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("initiation", ops(2, 0));
        s.put("initiation-flipped-macs-recomputed", ops(2, 3, 0, 40, 1));
        s.put("initiation-flipped", ops(2, 2, 0, 40, 1));
        s.put("initiation-dropped-then-retried", ops(2, 1, 5, 0x02, 0x80, 0));
        s.put("data", ops(3, 64, 0));
        s.put("data-flipped", ops(3, 64, 2, 0, 20, 7));
        s.put("sealed-ipv4", sealed(TestNet.ipv4(DeviceFuzzHarness.A_INNER, DeviceFuzzHarness.B_INNER, 8)));
        s.put("sealed-ipv4-spoofed-source", sealed(TestNet.ipv4("10.9.0.99", DeviceFuzzHarness.B_INNER, 8)));
        s.put("sealed-ipv6", sealed(ipv6()));
        s.put("sealed-short-header", sealed(new byte[] {0x45, 0, 0, 10}));
        s.put("sealed-keepalive", ops(4, 0, 0));
        // 24 ms on first: B takes one initiation per peer per HANDSHAKE_INITIATION_RATE.
        s.put("raw-real-initiation", cat(ops(5, 0, 3, 0, 0, real.initiation().length), real.initiation()));
        s.put("raw-real-transport", cat(ops(0, 0, real.transport().length), real.transport()));
        s.put("raw-real-transport-twice", cat(ops(0, 0, real.transport().length), real.transport(),
                ops(0, 0, real.transport().length), real.transport()));
        s.put("raw-real-cookie-reply", cat(ops(0, 0, real.cookieReply().length), real.cookieReply()));
        s.put("stranger-real-initiation", cat(ops(5, 0, 3, 1, 0, real.initiation().length), real.initiation()));
        s.put("replay", ops(3, 10, 0, 6, 0xff));
        s.put("under-load-cookie-then-mac2", ops(7, 2, 0, 2, 0));
        // 180 s on: the session expires; A's timer sends an initiation (dropped here) and B's, with
        // nothing to send it with, one too; A answers B, and that response is flipped or dropped.
        s.put("session-expired-b-initiates-response-flipped", ops(5, 0x57, 0xe5, 1, 2, 0, 30, 4));
        s.put("session-expired-b-initiates-response-dropped", ops(5, 0x57, 0xe5, 1, 1));
        s.put("b-sends-and-initiates", ops(5, 0x57, 0xe5, 1, 1, 8, 20));
        s.put("everything-expires", ops(5, 0xff, 0xff, 1, 1, 5, 0xff, 0xff, 1, 1, 5, 0xff, 0xff, 1, 1));
        return s;
    }

    static Map<String, byte[]> messageSeeds() {
        RealMessages real = RealMessages.capture();
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("initiation", cat(ops(3, 0x55), real.initiation()));
        s.put("transport", cat(ops(0, 0), real.transport()));
        s.put("cookie-reply", cat(ops(7, 1), real.cookieReply()));
        s.put("ipv4", cat(ops(1, 0), TestNet.ipv4("10.0.0.1", "10.0.0.2", 12)));
        s.put("ipv6", cat(ops(2, 0xff), ipv6()));
        return s;
    }

    /** Operation 4 of the harness: this plaintext sealed with A's session key. */
    private static byte[] sealed(byte[] plaintext) {
        return cat(ops(4, plaintext.length >>> 8, plaintext.length & 0xff), plaintext);
    }

    private static byte[] ipv6() {
        byte[] p = new byte[48];
        p[0] = 0x60;
        p[5] = 8;
        p[6] = 17;
        p[7] = 64;
        p[8] = (byte) 0xfd;
        p[24] = (byte) 0xfd;
        return p;
    }

    private static byte[] ops(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
