package org.wgkaraf.api.wireguard;

import java.util.Locale;
import java.util.Optional;

/** The nine instances of {@code network.wireguard}, with the original's defaults. */
public enum Instance {
    LOCAL_IP_ADDRESS(false, null, "The IP address of the module in the private network"),
    LOCAL_IP_NETMASK(false, null, "The netmask of the module in the private network; its subnet is routed into the tunnel"),
    LOCAL_PRIVATE_KEY(true, null, "The private key of the module (base64, as printed by 'wg genkey')"),
    LOCAL_PORT(false, "0", "The UDP port the module sends from and listens on (0 = any free port)"),
    PEER_ENDPOINT(false, null, "The host name or IPv4 address of the WireGuard server"),
    PEER_PUBLIC_KEY(false, null, "The public key of the WireGuard server (base64)"),
    PEER_PORT(false, "51820", "The UDP port the WireGuard server listens on"),
    PRESHARED_KEY(true, "", "A pre-shared key (base64, 'wg genpsk'); empty for none"),
    PERSISTENT_KEEPALIVE(false, "0", "Seconds between keepalives, for a module behind NAT (0 = off; 25 is usual)");

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
