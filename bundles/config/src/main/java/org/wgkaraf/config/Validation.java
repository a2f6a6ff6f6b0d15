package org.wgkaraf.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.wireguard.Instance;

/**
 * Every check on {@code network.wireguard} values, with a message a person can act on. Secret
 * values are never quoted back. Values arrive as strings (a command, a .cfg file) or typed (the
 * Metatype form gives Integer ports); both are checked the same way, by their text.
 */
public final class Validation {
    private static final String REQUIRED = "is required";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private Validation() {
    }

    /** The outcome of checking a whole configuration. */
    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(WireGuardConfig config) implements Result {
    }

    /** Problems by instance key, in the guide's order; never empty. */
    public record Invalid(Map<String, String> problems) implements Result {
        /** Only required values are missing: a configuration still being typed in, nothing wrong in it. */
        public boolean onlyMissing() {
            return problems.values().stream().allMatch(p -> p.startsWith(REQUIRED));
        }

        public String summary() {
            StringBuilder s = new StringBuilder();
            problems.forEach((k, v) -> s.append(s.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
            return s.toString();
        }
    }

    /** Checks one value as {@code config set} receives it; returns the problem, or null when fine. */
    public static String checkValue(Instance instance, String value) {
        try {
            parse(instance, value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Checks a whole configuration: raw values by instance key (absent = unset), with secrets
     * already resolved to their values.
     *
     * @param publicKeyOf derives our public key, to refuse a peer key equal to our own
     */
    public static Result validate(Map<String, String> raw, Function<SecretKey, PublicKey> publicKeyOf) {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<Instance, Object> values = new LinkedHashMap<>();
        for (Instance i : Instance.values()) {
            String v = raw.get(i.key());
            if (v == null || v.isBlank()) {
                if (i.defaultValue().isEmpty()) {
                    problems.put(i.key(), REQUIRED + " (" + i.description() + ")");
                    continue;
                }
                v = i.defaultValue().get();
            }
            try {
                values.put(i, parse(i, v));
            } catch (IllegalArgumentException e) {
                problems.put(i.key(), e.getMessage());
            }
        }
        if (values.get(Instance.LOCAL_PRIVATE_KEY) instanceof SecretKey own
                && values.get(Instance.PEER_PUBLIC_KEY) instanceof PublicKey peer
                && publicKeyOf.apply(own).equals(peer)) {
            problems.put(Instance.PEER_PUBLIC_KEY.key(), "is the module's own public key; it must be the server's");
        }
        if (values.get(Instance.LOCAL_IP_ADDRESS) instanceof Inet4Address a
                && values.get(Instance.LOCAL_IP_NETMASK) instanceof Inet4Address m) {
            int bits = WireGuardConfig.prefixLength(m);
            if (bits < 32 && new IpPrefix(a, bits).address().equals(a)) {
                problems.put(Instance.LOCAL_IP_ADDRESS.key(), a.getHostAddress() + " is the network address of "
                        + a.getHostAddress() + "/" + m.getHostAddress() + "; use a host address in it");
            }
        }
        if (!problems.isEmpty()) {
            return new Invalid(problems);
        }
        return new Valid(new WireGuardConfig(
                (Inet4Address) values.get(Instance.LOCAL_IP_ADDRESS),
                (Inet4Address) values.get(Instance.LOCAL_IP_NETMASK),
                (SecretKey) values.get(Instance.LOCAL_PRIVATE_KEY),
                (Integer) values.get(Instance.LOCAL_PORT),
                (String) values.get(Instance.PEER_ENDPOINT),
                (PublicKey) values.get(Instance.PEER_PUBLIC_KEY),
                (Integer) values.get(Instance.PEER_PORT),
                values.get(Instance.PRESHARED_KEY) instanceof SecretKey psk ? psk : null,
                (Integer) values.get(Instance.PERSISTENT_KEEPALIVE),
                (NetifRegistry.Backend) values.get(Instance.INTERFACE_BACKEND)));
    }

    /** Parses one value; the empty pre-shared key parses to the string "" (none). */
    static Object parse(Instance instance, String value) {
        String v = value == null ? "" : value.strip();
        return switch (instance) {
            case LOCAL_IP_ADDRESS -> hostAddress(v);
            case LOCAL_IP_NETMASK -> netmask(v);
            case LOCAL_PRIVATE_KEY -> SecretKey.fromBase64(required(v, "a private key"));
            case PRESHARED_KEY -> v.isEmpty() ? "" : SecretKey.fromBase64(v);
            case PEER_PUBLIC_KEY -> PublicKey.fromBase64(required(v, "a public key"));
            case LOCAL_PORT -> number(v, 0, 65535, "a UDP port from 0 (any free port) to 65535");
            case PEER_PORT -> number(v, 1, 65535, "a UDP port from 1 to 65535");
            case PERSISTENT_KEEPALIVE -> number(v, 0, 65535, "seconds from 0 (off) to 65535");
            case PEER_ENDPOINT -> endpoint(v);
            case INTERFACE_BACKEND -> backend(v);
            case SSH_PORT -> number(v, 0, 65535, "a TCP port from 1 to 65535, or 0 to turn the SSH console off");
            case SOCKS_PORT -> number(v, 0, 65535, "a TCP port from 1 to 65535, or 0 to turn the SOCKS5 proxy off");
        };
    }

    private static String required(String v, String what) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("is empty: expected " + what);
        }
        return v;
    }

    private static int number(String v, int min, int max, String what) {
        if (!v.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("'" + v + "' is not a number: expected " + what);
        }
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is out of range: expected " + what);
        }
        return n;
    }

    private static Inet4Address ipv4(String v, String what) {
        InetAddress a;
        try {
            a = IpPrefix.parseLiteral(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + v + "' is not an IPv4 address: expected " + what);
        }
        if (!(a instanceof Inet4Address a4)) {
            throw new IllegalArgumentException("'" + v + "' is not an IPv4 address: expected " + what);
        }
        return a4;
    }

    private static Inet4Address hostAddress(String v) {
        Inet4Address a = ipv4(v, "the module's address in the private network, e.g. 172.16.10.20");
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress() || v.equals("255.255.255.255")) {
            throw new IllegalArgumentException(v + " cannot be a host address: expected e.g. 172.16.10.20");
        }
        return a;
    }

    private static Inet4Address netmask(String v) {
        Inet4Address m = ipv4(v, "a netmask such as 255.240.0.0");
        int bits = 0;
        for (byte b : m.getAddress()) {
            bits = bits << 8 | (b & 0xff);
        }
        int ones = Integer.bitCount(bits);
        if (ones == 0 || bits != (int) (0xFFFFFFFFL << (32 - ones))) {
            throw new IllegalArgumentException(v + " is not a contiguous netmask: expected e.g. 255.255.255.0 or 255.240.0.0");
        }
        return m;
    }

    private static String endpoint(String v) {
        required(v, "the server's host name or IP address, e.g. wg.example.net");
        String host = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        if (host.indexOf(':') >= 0) {
            try {
                IpPrefix.parseLiteral(host);
                return host;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + v + "' is not a host name or address; give the port in peer_port");
            }
        }
        if (host.matches("[0-9.]+")) {
            ipv4(host, "the server's IPv4 address");
            return host;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > 253) {
            throw new IllegalArgumentException("host name is longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + v + "' is not a valid host name (letters, digits and '-' in dot-separated labels)");
            }
        }
        return host;
    }

    private static NetifRegistry.Backend backend(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "userspace" -> NetifRegistry.Backend.USERSPACE;
            case "tun" -> NetifRegistry.Backend.TUN;
            default -> throw new IllegalArgumentException("'" + v.strip() + "' is not a backend: expected userspace or tun");
        };
    }
}
