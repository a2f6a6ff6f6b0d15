package org.wgkaraf.netif;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.wgkaraf.netif.ip.Ipv4FuzzHarness;
import org.wgkaraf.netif.tcp.TcpFuzzHarness;

/**
 * Writes the seed inputs of the bundle's fuzz targets: an operation sequence for each path the
 * harnesses are meant to reach, which their own tests check they do reach. Run it after a change
 * to a harness's operations or set-up (docs/fuzzing.md):
 * {@code java -cp <test classpath> org.wgkaraf.netif.FuzzSeeds src/test/resources}
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        Path base = resources.resolve("org/wgkaraf/netif");
        write(base.resolve("ip/Ipv4InputFuzzTestInputs/input"), Ipv4FuzzHarness.seeds());
        write(base.resolve("tcp/TcpConnectionsFuzzTestInputs/operations"), TcpFuzzHarness.seeds());
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }

    /** Bytes from ints (each taken modulo 256): an operation and its arguments. */
    public static byte[] ops(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
