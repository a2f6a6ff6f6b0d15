package org.wgkaraf.engine.core;

import java.util.EnumMap;
import java.util.Map;
import org.wgkaraf.api.engine.DropReason;

/** What a device dropped, counted by reason: what a peer can cause is counted here, never thrown. */
final class Drops {
    private final long[] counts = new long[DropReason.values().length];

    void count(DropReason reason) {
        counts[reason.ordinal()]++;
    }

    /** The non-zero counters. */
    Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (counts[r.ordinal()] != 0) {
                m.put(r, counts[r.ordinal()]);
            }
        }
        return m;
    }
}
