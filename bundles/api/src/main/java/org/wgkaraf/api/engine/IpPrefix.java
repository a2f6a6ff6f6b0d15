package org.wgkaraf.api.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP prefix such as {@code 172.16.0.0/12}, stored canonically (host bits cleared).
 * Parsing accepts only literal addresses, never a host name.
 */
public record IpPrefix(InetAddress address, int bits) {

    public IpPrefix {
        if (address == null) {
            throw new IllegalArgumentException("prefix address is missing");
        }
        int max = address.getAddress().length * 8;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " is outside 0-" + max);
        }
        address = mask(address, bits);
    }

    public static IpPrefix parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("prefix is missing");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress a = parseLiteral(addr);
        int max = a.getAddress().length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' has no valid prefix length after '/'");
            }
        }
        return new IpPrefix(a, bits);
    }

    /** Parses an IPv4 dotted quad or an IPv6 literal without any DNS lookup. */
    public static InetAddress parseLiteral(String addr) {
        byte[] raw = Ipv4Literal.parse(addr);
        if (raw == null && addr.indexOf(':') >= 0 && addr.matches("[0-9a-fA-F:.]+")) {
            try {
                return InetAddress.getByName(addr); // a literal: no lookup is made for it
            } catch (UnknownHostException e) {
                raw = null;
            }
        }
        if (raw == null) {
            throw new IllegalArgumentException("'" + addr + "' is not an IP address (expected e.g. 172.16.10.20)");
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public boolean contains(InetAddress a) {
        return a.getAddress().length == address.getAddress().length && mask(a, bits).equals(address);
    }

    private static InetAddress mask(InetAddress a, int bits) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            b[i] &= (byte) (0xff00 >>> keep);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + bits;
    }

    /** Strict dotted-quad parsing: four decimal numbers 0-255, nothing else. */
    static final class Ipv4Literal {
        private Ipv4Literal() {
        }

        static byte[] parse(String s) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
    }
}
