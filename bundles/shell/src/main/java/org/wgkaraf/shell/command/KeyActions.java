package org.wgkaraf.shell.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.WireGuardEngine;

/**
 * {@code genkey}, {@code genpsk} and {@code pubkey}, byte for byte like {@code wg}: base64 of 32
 * bytes with padding, one line. The only places a secret is printed, because the user asked for it.
 */
final class KeyActions {
    /** A key is 44 characters; this bounds what is read from a stream that is not one. */
    private static final int MAX_LINE = 256;

    private KeyActions() {
    }

    static void genkey(WireGuardEngine engine, PrintStream out) {
        print(engine.generatePrivateKey(), out);
    }

    static void genpsk(WireGuardEngine engine, PrintStream out) {
        print(engine.generatePresharedKey(), out);
    }

    /**
     * Prints the public key of {@code privateKey}, or, when it is null, of the first line of
     * {@code in} ({@code echo KEY | wireguard pubkey}), as {@code wg pubkey} reads its standard input.
     */
    static void pubkey(WireGuardEngine engine, String privateKey, InputStream in, PrintStream out)
            throws CommandException {
        String text = privateKey != null ? privateKey : firstLine(in);
        if (text.isBlank()) {
            throw Failure.of("no private key: give it as the argument, or on the standard input"
                    + " (echo '<private key>' | wireguard pubkey)");
        }
        SecretKey key;
        try {
            key = SecretKey.fromBase64(text);
        } catch (IllegalArgumentException e) {
            throw Failure.of(e.getMessage());
        }
        try {
            out.println(engine.publicKey(key).toBase64());
        } finally {
            key.destroy();
        }
    }

    private static void print(SecretKey key, PrintStream out) {
        try {
            out.println(key.toBase64());
        } finally {
            key.destroy();
        }
    }

    private static String firstLine(InputStream in) throws CommandException {
        byte[] line = new byte[MAX_LINE];
        int length = 0;
        try {
            for (int b = in.read(); b >= 0 && b != '\n' && length < MAX_LINE; b = in.read()) {
                line[length++] = (byte) b;
            }
            return new String(line, 0, length, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw Failure.of("cannot read the private key from the standard input: " + e.getMessage());
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }
}
