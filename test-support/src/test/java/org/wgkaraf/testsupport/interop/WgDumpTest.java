package org.wgkaraf.testsupport.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WgDumpTest {
    // Made-up keys in wg's format; none of them is anybody's key.
    private static final String PRIV = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String PUB = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";
    private static final String PEER1 = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCA=";
    private static final String PEER2 = "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDA=";
    private static final String PSK = "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEA=";

    @Test
    void parsesInterfaceAndPeerLines() {
        String text = PRIV + "\t" + PUB + "\t51820\toff\n"
                + PEER1 + "\t" + PSK + "\t10.213.9.1:40123\t10.214.9.2/32,10.214.10.0/24\t1732500000\t1234\t5678\t25\n"
                + PEER2 + "\t(none)\t(none)\t(none)\t0\t0\t0\toff\n";

        WgDump d = WgDump.parse(text);

        assertEquals(PUB, d.publicKey());
        assertEquals(51820, d.listenPort());
        assertEquals("off", d.fwmark());
        assertEquals(2, d.peers().size());
        WgDump.Peer p1 = d.peer(PEER1).orElseThrow();
        assertTrue(p1.hasPresharedKey());
        assertEquals("10.213.9.1:40123", p1.endpoint());
        assertEquals(List.of("10.214.9.2/32", "10.214.10.0/24"), p1.allowedIps());
        assertEquals(1732500000L, p1.latestHandshake());
        assertEquals(1234, p1.rxBytes());
        assertEquals(5678, p1.txBytes());
        assertEquals(25, p1.persistentKeepalive());
        WgDump.Peer p2 = d.peer(PEER2).orElseThrow();
        assertFalse(p2.hasPresharedKey());
        assertNull(p2.endpoint());
        assertEquals(List.of(), p2.allowedIps());
        assertEquals(0, p2.latestHandshake());
        assertEquals(0, p2.persistentKeepalive());
    }

    @Test
    void neverKeepsOrQuotesThePrivateKey() {
        WgDump d = WgDump.parse(PRIV + "\t" + PUB + "\t51820\toff\n");
        assertFalse(d.toString().contains(PRIV));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WgDump.parse(PRIV + "\t" + PUB + "\t51820\toff\n" + PEER1 + "\t" + PSK + "\tbroken\n"));
        assertFalse(e.getMessage().contains(PRIV));
        assertFalse(e.getMessage().contains(PSK));
    }
}
