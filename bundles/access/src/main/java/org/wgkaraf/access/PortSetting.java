package org.wgkaraf.access;

import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * One port setting of PID {@code network.wireguard} ({@code ssh_port}, {@code socks_port}) as a
 * component sees it through every configuration update: a valid value (0-65535, as a String or an
 * integer type) replaces the port; an unset key restores the default; an invalid value keeps the
 * port in use and is reported by one WARN line, not repeated while the same value stays.
 * <p>
 * Not thread-safe: SCR calls activate and modified one at a time for a component.
 */
public final class PortSetting {
    private final String key;
    private final int defaultPort;
    private final String what;
    private final Logger log;
    private int port;
    private Object warnedAbout;

    /**
     * @param what what the port is for, as a WARN line names it ("the SSH bridge")
     */
    public PortSetting(String key, int defaultPort, String what, Logger log) {
        this.key = key;
        this.defaultPort = defaultPort;
        this.what = what;
        this.log = log;
        this.port = defaultPort;
    }

    /**
     * Reads the key from a configuration update.
     *
     * @return the port to use from now on: the new value, the default when unset, or the previous
     *         port when the value is invalid
     */
    public int update(Map<String, ?> properties) {
        Object raw = properties == null ? null : properties.get(key);
        if (raw == null) {
            warnedAbout = null;
            port = defaultPort;
            return port;
        }
        String problem = problem(raw);
        if (problem == null) {
            warnedAbout = null;
            port = parse(raw);
            return port;
        }
        if (!Objects.equals(raw, warnedAbout)) {
            warnedAbout = raw;
            log.warn("{} {}: {}; {} {}", key, quoted(raw), problem, what,
                    port == 0 ? "stays off" : "stays on port " + port);
        }
        return port;
    }

    public int port() {
        return port;
    }

    public String key() {
        return key;
    }

    private static String problem(Object raw) {
        long value;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            value = ((Number) raw).longValue();
        } else if (raw instanceof String s) {
            String t = s.strip();
            if (t.isEmpty()) {
                return "is empty, expected a port number 0-65535 (0 = off)";
            }
            try {
                value = Long.parseLong(t);
            } catch (NumberFormatException e) {
                return "is not a number, expected a port number 0-65535 (0 = off)";
            }
        } else {
            return "is a " + raw.getClass().getSimpleName() + ", expected a port number 0-65535 (0 = off)";
        }
        if (value < 0 || value > 65535) {
            return "is outside 0-65535 (0 = off)";
        }
        return null;
    }

    private static int parse(Object raw) {
        return raw instanceof String s ? Integer.parseInt(s.strip()) : ((Number) raw).intValue();
    }

    private static String quoted(Object raw) {
        String s = String.valueOf(raw);
        if (s.length() > 40) {
            s = s.substring(0, 40) + "...";
        }
        return "'" + s + "'";
    }
}
