package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.TunnelConfig;

/** What a closed tunnel still does when asked: nothing that binds a socket. */
class CloseRaceTest extends RuntimeTestSupport {

    /** A rebind that comes after close must not bind the port again: nobody would ever close that socket. */
    @Test
    void aRebindAfterCloseBindsNoSocket() throws Exception {
        int port = freePort();
        TunnelRuntime t = open(new TunnelConfig("wgc", keys.generatePrivateKey(), port, List.of()), (b, o, l) -> { },
                HostResolver.SYSTEM, realResolverThread("wgc"), RuntimeHooks.NONE);
        t.close();
        IOException refused = null;
        try {
            t.rebind();
        } catch (IOException e) {
            refused = e;
        }
        assertPortFree(port, "rebind");
        assertNotNull(refused, "rebind of a closed tunnel is refused");
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    }

    /** Likewise a reconfigure that moves to another port. */
    @Test
    void aReconfigureAfterCloseBindsNoSocket() throws Exception {
        int port = freePort();
        SecretKey key = keys.generatePrivateKey();
        TunnelRuntime t = open(new TunnelConfig("wgc", key, 0, List.of()), (b, o, l) -> { },
                HostResolver.SYSTEM, realResolverThread("wgc"), RuntimeHooks.NONE);
        t.close();
        IOException refused = null;
        try {
            t.reconfigure(new TunnelConfig("wgc", key, port, List.of()));
        } catch (IOException e) {
            refused = e;
        }
        assertPortFree(port, "reconfigure");
        assertNotNull(refused, "reconfigure of a closed tunnel is refused");
    }

    private static void assertPortFree(int port, String what) throws IOException {
        try (DatagramSocket s = new DatagramSocket(port)) {
            assertEquals(port, s.getLocalPort());
        } catch (BindException e) {
            fail(what + " after close bound UDP port " + port + " again: a socket nobody closes");
        }
    }
}
