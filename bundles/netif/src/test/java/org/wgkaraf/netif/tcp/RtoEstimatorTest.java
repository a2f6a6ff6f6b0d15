package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6298: SRTT, RTTVAR and RTO, with a 200 ms floor and a 60 s ceiling as configured. */
class RtoEstimatorTest {
    private static final long MS = 1_000_000L;
    private final RtoEstimator rto = new RtoEstimator(1000 * MS, 200 * MS, 60_000 * MS);

    @Test
    void rfc6298_2_1_beforeAnySampleTheRtoIsOneSecond() {
        assertEquals(1000 * MS, rto.rto());
    }

    @Test
    void rfc6298_2_2_theFirstSampleSetsSrttAndHalfOfItAsRttvar() {
        rto.sample(400 * MS);
        assertEquals(400 * MS, rto.srtt());
        assertEquals(200 * MS, rto.rttvar());
        assertEquals(400 * MS + 4 * 200 * MS, rto.rto(), "SRTT + 4 RTTVAR");
    }

    @Test
    void rfc6298_2_3_laterSamplesAreSmoothedWithAlphaOneEighthAndBetaOneQuarter() {
        rto.sample(400 * MS);
        rto.sample(200 * MS);
        assertEquals(200 * MS - 50 * MS + 50 * MS, rto.rttvar(), "3/4 * 200 + 1/4 * |400 - 200|");
        assertEquals(400 * MS - 50 * MS + 25 * MS, rto.srtt(), "7/8 * 400 + 1/8 * 200");
    }

    @Test
    void rfc6298_2_4_theRtoNeverGoesBelowTheFloor() {
        for (int i = 0; i < 20; i++) {
            rto.sample(MS);
        }
        assertEquals(200 * MS, rto.rto(), "200 ms, Linux's floor (RFC 6298 asks 1 s; see docs/tcp.md)");
    }

    @Test
    void rfc6298_5_5_eachExpiryDoublesTheRtoUpToTheCeiling() {
        rto.sample(400 * MS); // RTO 1.2 s
        rto.backOff();
        assertEquals(2400 * MS, rto.rto());
        rto.backOff();
        assertEquals(4800 * MS, rto.rto());
        for (int i = 0; i < 10; i++) {
            rto.backOff();
        }
        assertEquals(60_000 * MS, rto.rto(), "capped");
    }

    @Test
    void rfc6298_5_7_aNewSampleEndsTheBackoff() {
        rto.sample(400 * MS);
        rto.backOff();
        rto.backOff();
        rto.sample(400 * MS);
        assertEquals(0, rto.backoffs());
    }
}
