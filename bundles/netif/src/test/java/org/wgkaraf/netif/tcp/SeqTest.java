package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 9293 3.4: sequence numbers compare modulo 2^32. */
class SeqTest {

    @Test
    void rfc9293_3_4_comparisonsHoldAcrossTheWrapAt2To32() {
        int before = 0xfffffff0;
        int after = 0x00000010;
        assertTrue(Seq.lt(before, after), "0xfffffff0 comes before 0x10");
        assertTrue(Seq.gt(after, before));
        assertTrue(Seq.le(before, before));
        assertTrue(Seq.ge(after, after));
        assertFalse(Seq.lt(after, before));
        assertEquals(after, Seq.max(before, after));
        assertEquals(before, Seq.min(before, after));
        assertEquals(0x20, after - before, "distance across the wrap");
    }

    @Test
    void rfc9293_3_4_windowTestIsHalfOpenAndWraps() {
        int low = 0xffffff00;
        int high = low + 0x200; // wraps past zero
        assertTrue(Seq.inWindow(low, low, high), "the left edge is in");
        assertTrue(Seq.inWindow(0x50, low, high), "past the wrap is in");
        assertFalse(Seq.inWindow(high, low, high), "the right edge is out");
        assertFalse(Seq.inWindow(low - 1, low, high));
        assertFalse(Seq.inWindow(low, low, low), "an empty window holds nothing");
    }

    @Test
    void numbersHalfTheSpaceApartStillOrderByTheShorterWay() {
        assertTrue(Seq.lt(0, 0x7fffffff));
        assertTrue(Seq.gt(0, 0x80000001), "0x80000001 is 2^31 - 1 behind 0, so before it");
    }
}
