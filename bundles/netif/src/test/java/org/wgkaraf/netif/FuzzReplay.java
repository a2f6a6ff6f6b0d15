package org.wgkaraf.netif;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.wgkaraf.netif.ip.Ipv4FuzzHarness;
import org.wgkaraf.netif.tcp.TcpFuzzHarness;

/**
 * Replays every input of the given directories through one harness, outside Jazzer: to measure
 * what a corpus covers under a coverage agent (docs/fuzzing.md), or to rerun a finding with a
 * debugger. {@code java -cp <test classpath> org.wgkaraf.netif.FuzzReplay ip|tcp DIR...}
 */
public final class FuzzReplay {
    private FuzzReplay() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !args[0].equals("ip") && !args[0].equals("tcp")) {
            System.err.println("usage: FuzzReplay ip|tcp DIR...");
            System.exit(2);
        }
        Consumer<byte[]> harness = args[0].equals("ip") ? Ipv4FuzzHarness::run : TcpFuzzHarness::run;
        int n = 0;
        for (int i = 1; i < args.length; i++) {
            try (DirectoryStream<Path> inputs = Files.newDirectoryStream(Path.of(args[i]))) {
                for (Path p : inputs) {
                    harness.accept(Files.readAllBytes(p));
                    n++;
                }
            }
        }
        System.out.println(n + " inputs replayed, every check passed");
    }
}
