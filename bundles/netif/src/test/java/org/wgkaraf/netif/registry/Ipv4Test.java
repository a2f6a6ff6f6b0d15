package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.netif.registry.FakeHostProbe.ip;

import org.junit.jupiter.api.Test;

class Ipv4Test {
    @Test
    void addressesConvertToIntsMostSignificantByteFirstAndBack() {
        assertEquals(0xC0A8010C, Ipv4.toInt(ip("192.168.1.12")));
        assertEquals(ip("192.168.1.12"), Ipv4.of(0xC0A8010C));
        assertEquals(ip("255.255.255.255"), Ipv4.of(-1));
    }

    @Test
    void prefixLengthsBecomeNetmasks() {
        assertEquals(ip("0.0.0.0"), Ipv4.netmask(0));
        assertEquals(ip("255.240.0.0"), Ipv4.netmask(12));
        assertEquals(ip("255.255.255.0"), Ipv4.netmask(24));
        assertEquals(ip("255.255.255.255"), Ipv4.netmask(32));
        assertThrows(IllegalArgumentException.class, () -> Ipv4.netmask(33));
    }

    @Test
    void aNetmaskIsContiguousWhenItsOnesComeFirst() {
        for (int len = 0; len <= 32; len++) {
            assertTrue(Ipv4.isContiguous(Ipv4.mask(len)), "/" + len);
        }
        assertFalse(Ipv4.isContiguous(Ipv4.toInt(ip("255.0.255.0"))));
        assertFalse(Ipv4.isContiguous(Ipv4.toInt(ip("0.255.255.255"))));
        assertFalse(Ipv4.isContiguous(Ipv4.toInt(ip("255.255.255.254")) ^ 0x100));
    }
}
