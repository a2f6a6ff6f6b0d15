package org.wgkaraf.shell.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Byte counts and spans of time in the words {@code wg show} uses, so its users read ours alike. */
public final class Units {
    private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB"};
    private static final long[] SPAN_SECONDS = {365L * 24 * 3600, 24 * 3600, 3600, 60, 1};
    private static final String[] SPAN_NAMES = {"year", "day", "hour", "minute", "second"};

    private Units() {
    }

    /** {@code 512 B}, {@code 1.21 KiB}, {@code 3.40 MiB}: binary units with two decimals above 1023 bytes. */
    public static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, BINARY[unit]);
    }

    /** {@code 1 minute, 5 seconds}; every non-zero unit from years down to seconds. Zero is {@code 0 seconds}. */
    public static String span(long seconds) {
        if (seconds <= 0) {
            return "0 seconds";
        }
        List<String> parts = new ArrayList<>();
        long rest = seconds;
        for (int i = 0; i < SPAN_SECONDS.length; i++) {
            long n = rest / SPAN_SECONDS[i];
            rest %= SPAN_SECONDS[i];
            if (n > 0) {
                parts.add(n + " " + SPAN_NAMES[i] + (n == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }
}
