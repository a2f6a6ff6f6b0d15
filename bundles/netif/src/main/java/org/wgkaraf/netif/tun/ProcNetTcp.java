package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OS's TCP connections on given local addresses, by state, read from /proc/net/tcp of this
 * process's network namespace: on the TUN backend the OS carries TCP, so the OS knows the states.
 */
final class ProcNetTcp {
    private static final Path FILE = Path.of("/proc/net/tcp");
    /** /proc/net/tcp's state codes (include/net/tcp_states.h), 1 to 11; LISTEN and CLOSE are left out. */
    private static final String[] STATES = {null, "ESTABLISHED", "SYN_SENT", "SYN_RECEIVED", "FIN_WAIT_1", "FIN_WAIT_2",
        "TIME_WAIT", null, "CLOSE_WAIT", "LAST_ACK", null, "CLOSING"};

    private ProcNetTcp() {
    }

    /** Connections whose local address is one of {@code localAddresses} (as ints, most significant byte first). */
    static Map<String, Integer> states(Set<Integer> localAddresses) {
        if (localAddresses.isEmpty()) {
            return Map.of();
        }
        try {
            return states(Files.readAllLines(FILE), localAddresses, ByteOrder.nativeOrder());
        } catch (IOException e) {
            return Map.of(); // no /proc (not Linux): the status shows no connections rather than failing
        }
    }

    /**
     * Parses the lines of /proc/net/tcp. The kernel prints each address as the hexadecimal of its
     * 32 bits read in the machine's byte order, so a little-endian machine shows 10.214.0.2 as
     * 0200D60A.
     */
    static Map<String, Integer> states(List<String> lines, Set<Integer> localAddresses, ByteOrder order) {
        Map<String, Integer> states = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            int colon = f[1].indexOf(':');
            if (colon != 8) {
                continue;
            }
            try {
                int raw = Integer.parseUnsignedInt(f[1].substring(0, 8), 16);
                int address = order == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(raw) : raw;
                int state = Integer.parseInt(f[3], 16);
                if (localAddresses.contains(address) && state > 0 && state < STATES.length && STATES[state] != null) {
                    states.merge(STATES[state], 1, Integer::sum);
                }
            } catch (NumberFormatException e) {
                // a line we do not understand is skipped
            }
        }
        return states;
    }
}
