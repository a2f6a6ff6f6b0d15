package org.wgkaraf.netif.ip;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** A counter for each {@link DropReason}; counting allocates nothing. */
final class DropCounters {
    private static final DropReason[] REASONS = DropReason.values();
    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    void count(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    /** Every reason with its count, zeros included. */
    Map<DropReason, Long> snapshot() {
        EnumMap<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            m.put(r, counts.get(r.ordinal()));
        }
        return Collections.unmodifiableMap(m);
    }
}
