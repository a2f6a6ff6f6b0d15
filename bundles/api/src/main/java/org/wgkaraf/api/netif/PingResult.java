package org.wgkaraf.api.netif;

import java.net.InetAddress;
import java.util.List;

/**
 * The figures of one ping run.
 *
 * @param rttMillis   round-trip time of each reply received, in order
 * @param totalMillis the time the run spent waiting: every reply's round trip plus every timeout
 *                    (the original's "time" figure)
 */
public record PingResult(String host, InetAddress address, int transmitted, int received,
                         List<Double> rttMillis, long totalMillis) {
    public PingResult {
        rttMillis = List.copyOf(rttMillis);
    }

    public int lossPercent() {
        return transmitted == 0 ? 0 : (int) Math.round(100.0 * (transmitted - received) / transmitted);
    }

    /** Average over the replies only (the original divided the timeouts' time by the replies too). */
    public double averageMillis() {
        return rttMillis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
