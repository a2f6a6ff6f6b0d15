package org.wgkaraf.api.wireguard;

import java.util.Locale;
import java.util.Optional;

/**
 * The instances of {@code network.wireguard}: the original's nine, with its defaults, then three
 * of ours ({@link #original()} false): the interface backend and the two services that make the
 * tunnel useful without root, the SSH console and the SOCKS5 proxy.
 */
public enum Instance {
    LOCAL_IP_ADDRESS(false, null, "The IP address of the module in the private network"),
    LOCAL_IP_NETMASK(false, null, "The netmask of the module in the private network; its subnet is routed into the tunnel"),
    LOCAL_PRIVATE_KEY(true, null, "The private key of the module (base64, as printed by 'wg genkey')"),
    LOCAL_PORT(false, "0", "The UDP port the module sends from and listens on (0 = any free port)"),
    PEER_ENDPOINT(false, null, "The host name or IPv4 address of the WireGuard server"),
    PEER_PUBLIC_KEY(false, null, "The public key of the WireGuard server (base64)"),
    PEER_PORT(false, "51820", "The UDP port the WireGuard server listens on"),
    PRESHARED_KEY(true, "", "A pre-shared key (base64, 'wg genpsk'); empty for none"),
    PERSISTENT_KEEPALIVE(false, "0", "Seconds between keepalives, for a module behind NAT (0 = off; 25 is usual)"),
    INTERFACE_BACKEND(false, "userspace",
            "Who carries the tunnel interface: userspace (Java, no privilege) or tun (a Linux TUN device; needs CAP_NET_ADMIN)"),
    SSH_PORT(false, "22", "The port of the module's tunnel address that reaches Karaf's SSH console (0 = off)"),
    SOCKS_PORT(false, "0", "A SOCKS5 proxy on 127.0.0.1 into the private network, on this port (0 = off)");

    private final boolean secret;
    private final String defaultValue;
    private final String description;

    Instance(boolean secret, String defaultValue, String description) {
        this.secret = secret;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The name users type: {@code local_ip_address}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Private and pre-shared keys: never shown by any command or log. */
    public boolean secret() {
        return secret;
    }

    /** One of the original's nine (the others are this product's additions). */
    public boolean original() {
        return ordinal() <= PERSISTENT_KEEPALIVE.ordinal();
    }

    /** The value when unset, or empty when the instance is required. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    public static Optional<Instance> byKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        for (Instance i : values()) {
            if (i.key().equals(key.strip())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
