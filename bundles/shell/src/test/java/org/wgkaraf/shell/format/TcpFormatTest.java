package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.TcpStatus;

class TcpFormatTest {

    @Test
    void idleLayerIsOneLine() {
        assertEquals(List.of("TCP: none open, listening on no port, 0 B buffered"), TcpFormat.lines(TcpStatus.EMPTY));
    }

    @Test
    void connectionsByStateInNameOrderPortsAscendingAndDropsByReason() {
        TcpStatus s = new TcpStatus(Map.of("TIME_WAIT", 1, "ESTABLISHED", 2), List.of(22, 2222),
                Map.of("TCP_RST_CHALLENGED", 1L, "TCP_BAD_CHECKSUM", 3L), 12 * 1024);
        assertEquals(List.of(
                "TCP: 3 open (ESTABLISHED 2, TIME_WAIT 1), listening on 22 2222, 12.00 KiB buffered",
                "  drops: TCP_BAD_CHECKSUM 3, TCP_RST_CHALLENGED 1"), TcpFormat.lines(s));
    }
}
