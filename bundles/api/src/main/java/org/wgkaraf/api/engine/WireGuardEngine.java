package org.wgkaraf.api.engine;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The WireGuard engine service: opens tunnels and derives keys. */
@ProviderType
public interface WireGuardEngine {

    /**
     * Opens a tunnel: binds its UDP socket and starts its timers. Decrypted inner packets go to
     * {@code sink}. Handshakes start when the first packet is sent, or at once for peers with a
     * persistent keepalive.
     *
     * @throws IOException when the socket cannot be bound (port in use); nothing is left behind
     */
    Tunnel open(TunnelConfig config, PacketSink sink) throws IOException;

    /** The tunnels open now. */
    List<Tunnel> tunnels();

    /** A new random private key, clamped like {@code wg genkey}. */
    SecretKey generatePrivateKey();

    /** A new random pre-shared key, like {@code wg genpsk}. */
    SecretKey generatePresharedKey();

    /** The public key of a private key, like {@code wg pubkey}. */
    PublicKey publicKey(SecretKey privateKey);
}
