package org.wgkaraf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.testsupport.Await;

/** The socket swap (rebind, a new port) and the receive thread that must follow it. */
class SocketSwapRaceTest extends RuntimeTestSupport {

    /**
     * A swap on a fixed port closes the old socket before it binds the new one. The receive thread,
     * thrown out of its receive by that close, must end up on the new socket, even when the whole
     * swap finishes while it is still deciding what the close meant.
     */
    @Test
    void aReceiverOvertakenByTheSwapMovesToTheNewSocket() throws Exception {
        int port = freePort();
        CountDownLatch receiverDeciding = new CountDownLatch(1);
        CountDownLatch swapFinished = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(true);
        RuntimeHooks hooks = new RuntimeHooks() {
            @Override
            public void swapClosedOldSocket() {
                if (holding.get()) {
                    await(receiverDeciding); // the receiver has seen the close ...
                }
            }

            @Override
            public void receiverSawClosedSocket() {
                if (holding.get()) {
                    receiverDeciding.countDown();
                    await(swapFinished); // ... and decides only after the swap is over
                }
            }
        };
        TunnelRuntime t = open(new TunnelConfig("wgr", keys.generatePrivateKey(), port, List.of()), (b, o, l) -> { },
                HostResolver.SYSTEM, realResolverThread("wgr"), hooks);

        t.rebind();
        holding.set(false);
        swapFinished.countDown();

        assertEquals(port, t.status().listenPort());
        sendJunk(port);
        Await.until("the datagram sent after the swap to be received (and dropped as junk)", DEADLINE, () -> totalDrops(t) == 1);
        assertNull(t.status().lastError());
        assertTrue(t.status().running());
    }
}
