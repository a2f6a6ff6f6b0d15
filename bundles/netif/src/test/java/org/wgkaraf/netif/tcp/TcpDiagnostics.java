package org.wgkaraf.netif.tcp;

import java.util.Locale;
import org.wgkaraf.api.netif.TcpConnection;

/** What a benchmark reports about one of our connections' sending: its loss recovery and model. */
public final class TcpDiagnostics {
    private TcpDiagnostics() {
    }

    /** For a connection of our userspace layer: segments sent and resent, recoveries, timeouts, the congestion model; else null. */
    public static String sender(TcpConnection c) {
        if (!(c instanceof UserspaceConnection u)) {
            return null;
        }
        u.lock.lock();
        try {
            Tcb t = u.tcb;
            return String.format(Locale.ROOT, "%d segments sent, %d resent (%.1f%%), %d fast recoveries, %d timeouts, %s",
                    t.segmentsSent, t.retransmitted, 100.0 * t.retransmitted / Math.max(1, t.segmentsSent),
                    t.recovery.fastRecoveries, t.recovery.timeouts, t.cc);
        } finally {
            u.lock.unlock();
        }
    }
}
