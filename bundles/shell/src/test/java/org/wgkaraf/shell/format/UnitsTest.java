package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The units of {@code wg show}: binary byte units with two decimals, spans in words. */
class UnitsTest {
    @Test
    void bytesBelowOneKibibyteAreWhole() {
        assertEquals("0 B", Units.bytes(0));
        assertEquals("1023 B", Units.bytes(1023));
    }

    @Test
    void largerCountsUseBinaryUnitsWithTwoDecimals() {
        assertEquals("1.00 KiB", Units.bytes(1024));
        assertEquals("1.21 KiB", Units.bytes(1239));
        assertEquals("1.50 MiB", Units.bytes(1536L * 1024));
        assertEquals("2.00 GiB", Units.bytes(2L << 30));
        assertEquals("3.00 TiB", Units.bytes(3L << 40));
        assertEquals("2048.00 TiB", Units.bytes(2L << 50));
    }

    @Test
    void spansNameEveryNonZeroUnitSingularOrPlural() {
        assertEquals("1 second", Units.span(1));
        assertEquals("25 seconds", Units.span(25));
        assertEquals("1 minute, 5 seconds", Units.span(65));
        assertEquals("1 hour", Units.span(3600));
        assertEquals("2 days, 3 hours, 1 second", Units.span(2 * 86400 + 3 * 3600 + 1));
        assertEquals("1 year, 1 day", Units.span(366L * 86400));
    }

    @Test
    void handshakeAgeSaysNowOrWhenTheClockWentBack() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertEquals("now", TunnelFormat.ago(now.minusMillis(400), now));
        assertEquals("2 minutes ago", TunnelFormat.ago(now.minusSeconds(120), now));
        assertEquals("3 seconds in the future (the clock went back)", TunnelFormat.ago(now.plusSeconds(3), now));
    }
}
