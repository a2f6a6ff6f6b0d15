package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /proc/net/tcp as the TUN backend's status reads it. */
class ProcNetTcpTest {
    private static final List<String> LINES = List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0200D60A:1F95 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0",
            "   1: 0200D60A:1F95 0100D60A:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1",
            "   2: 0200D60A:1F95 0100D60A:9C41 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0",
            "   3: 0100007F:0016 0100007F:9C42 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1",
            "garbage");

    @Test
    void countsTheConnectionsOfTheTunnelAddressByStateLeavingOutListeners() {
        int tunnel = 0x0ad60002; // 10.214.0.2
        Map<String, Integer> states = ProcNetTcp.states(LINES, Set.of(tunnel), ByteOrder.LITTLE_ENDIAN);
        assertEquals(Map.of("ESTABLISHED", 1, "TIME_WAIT", 1), states, "the loopback connection is not the tunnel's");
    }
}
