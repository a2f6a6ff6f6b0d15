package org.wgkaraf.netif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wgkaraf.testsupport.interop.Prerequisites;

/**
 * The module's key confirmation lost on the way to wireguard-go. The module (our engine, the
 * initiator: persistent keepalive) completes the handshake and sends its first transport packet,
 * which confirms the session to wireguard-go; the relay drops exactly that packet. wireguard-go,
 * the responder, cannot send on the session until a confirmation arrives: left alone, it would
 * stage its replies and start a handshake of its own only after REKEY_TIMEOUT (5 s). The engine
 * sends one keepalive more when its confirmation is unanswered after CONFIRMATION_RESEND (1 s),
 * so a ping from wireguard-go's namespace gets through within about that.
 */
class ConfirmationLossIT {
    /** CONFIRMATION_RESEND (1 s), plus the ping's 200 ms spacing and scheduling on a busy machine; 5 s without the resend. */
    private static final long BOUND_MILLIS = 3000;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.check();
    }

    @Test
    void wireguardGoReachesTheModuleWithinASecondOrTwoWhenTheFirstConfirmationIsLost() throws IOException {
        AtomicBoolean dropped = new AtomicBoolean();
        // the first transport packet (type 4) from the module: its key confirmation
        try (ModuleTunnel m = ModuleTunnel.openThroughRelay(LossyRelay.Settings.CLEAN,
                d -> d.length >= 32 && d[0] == 4 && dropped.compareAndSet(false, true))) {
            long millis = (m.reachedAt - m.upAt) / 1_000_000;
            System.out.println("confirmation lost: wireguard-go reached the module " + millis + " ms after the tunnel was up; " + m.relay);
            assertEquals(1, m.relay.droppedByRule.get(), "the relay dropped the module's first transport packet");
            assertTrue(millis < BOUND_MILLIS, () -> "wireguard-go reached the module only after " + millis + " ms\n" + m.diagnostics());
        }
    }
}
