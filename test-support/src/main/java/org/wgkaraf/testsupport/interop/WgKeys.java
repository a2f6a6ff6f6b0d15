package org.wgkaraf.testsupport.interop;

import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;

/**
 * Keys made by the {@code wg} tool, so the Java side is tested against keys it did not make.
 * Private and pre-shared keys travel through stdin and stdout only, never through arguments.
 */
public final class WgKeys {

    /** A key pair in the base64 form {@code wg} prints. Prints only its public half. */
    public record KeyPair(String privateKey, String publicKey) {
        public SecretKey secret() {
            return toSecretKey(privateKey);
        }

        public PublicKey publicKeyObject() {
            return toPublicKey(publicKey);
        }

        @Override
        public String toString() {
            return "KeyPair[public=" + publicKey + "]";
        }
    }

    private WgKeys() {
    }

    public static KeyPair generate() {
        String priv = genkey();
        return new KeyPair(priv, pubkey(priv));
    }

    public static String genkey() {
        return Shell.cmd("wg", "genkey").secretOutput().run().stdout().strip();
    }

    public static String pubkey(String privateKey) {
        return Shell.cmd("wg", "pubkey").stdin(privateKey + "\n").secretOutput().run().stdout().strip();
    }

    public static String genpsk() {
        return Shell.cmd("wg", "genpsk").secretOutput().run().stdout().strip();
    }

    public static SecretKey toSecretKey(String base64) {
        return SecretKey.fromBase64(base64);
    }

    public static PublicKey toPublicKey(String base64) {
        return PublicKey.fromBase64(base64);
    }
}
