package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {

    private static byte[] ip(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T find(AllowedIps<T> table, String literal) {
        byte[] a = ip(literal);
        return table.lookup(a, 0, a.length);
    }

    @Test
    void emptyTableFindsNothing() {
        AllowedIps<String> t = new AllowedIps<>();
        assertNull(find(t, "10.0.0.1"));
        assertNull(find(t, "::1"));
        assertEquals(0, t.size());
    }

    @Test
    void defaultRouteMatchesEveryIpv4AddressButNoIpv6() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("0.0.0.0"), 0, "all");
        assertEquals("all", find(t, "0.0.0.0"));
        assertEquals("all", find(t, "255.255.255.255"));
        assertEquals("all", find(t, "172.16.10.20"));
        assertNull(find(t, "::"));
    }

    @Test
    void hostRouteMatchesOnlyItsAddress() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("192.168.1.7"), 32, "host");
        assertEquals("host", find(t, "192.168.1.7"));
        assertNull(find(t, "192.168.1.6"));
        assertNull(find(t, "192.168.1.8"));
        assertNull(find(t, "64.168.1.7"));
    }

    @Test
    void longestOfOverlappingPrefixesWins() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.0.0.0"), 8, "a");
        t.insert(ip("10.1.2.3"), 32, "d");
        t.insert(ip("10.1.0.0"), 16, "b");
        t.insert(ip("0.0.0.0"), 0, "z");
        t.insert(ip("10.1.2.0"), 24, "c");
        t.insert(ip("10.1.2.128"), 25, "e");
        assertEquals("d", find(t, "10.1.2.3"));
        assertEquals("c", find(t, "10.1.2.4"));
        assertEquals("e", find(t, "10.1.2.200"));
        assertEquals("b", find(t, "10.1.3.3"));
        assertEquals("a", find(t, "10.2.0.1"));
        assertEquals("z", find(t, "11.0.0.1"));
        assertEquals(6, t.size());
    }

    @Test
    void hostBitsOfAnInsertedPrefixAreIgnored() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("172.16.99.99"), 12, "p");
        assertEquals("p", find(t, "172.31.255.255"));
        assertNull(find(t, "172.32.0.0"));
        assertArrayEquals(ip("172.16.0.0"), t.entries().get(0).address().getAddress());
        t.insert(ip("172.16.0.0"), 12, "q");
        assertEquals(1, t.size(), "the same prefix written differently");
        assertEquals("q", find(t, "172.20.0.1"));
    }

    @Test
    void insertingAnIdenticalPrefixReplacesItsValue() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.0.0.0"), 8, "old");
        t.insert(ip("10.0.0.0"), 16, "other");
        t.insert(ip("10.0.0.0"), 8, "new");
        assertEquals("new", find(t, "10.9.9.9"));
        assertEquals("other", find(t, "10.0.9.9"));
        assertEquals(2, t.size());
    }

    @Test
    void removeValueRemovesAllItsPrefixesAndKeepsTheRest() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("0.0.0.0"), 0, "a");
        t.insert(ip("10.0.0.0"), 8, "a");
        t.insert(ip("10.1.0.0"), 16, "b");
        t.insert(ip("10.1.2.0"), 24, "a");
        t.insert(ip("fd00::"), 8, "a");
        t.insert(ip("fd00:1::"), 32, "b");
        t.removeValue("a");
        assertEquals(2, t.size());
        assertNull(find(t, "10.2.0.1"));
        assertNull(find(t, "11.0.0.1"));
        assertEquals("b", find(t, "10.1.2.3"));
        assertEquals("b", find(t, "fd00:1::5"));
        assertNull(find(t, "fd00:2::5"));
        t.removeValue("b");
        assertEquals(0, t.size());
        assertNull(find(t, "10.1.2.3"));
        assertTrue(t.entries().isEmpty());
        t.insert(ip("10.1.0.0"), 16, "c");
        assertEquals("c", find(t, "10.1.2.3"));
    }

    @Test
    void removalDropsNodesLeftWithoutPurpose() {
        AllowedIps<String> chain = new AllowedIps<>();
        chain.insert(ip("10.0.0.0"), 8, "a");
        chain.insert(ip("10.1.0.0"), 16, "b");
        chain.insert(ip("10.1.2.0"), 24, "c");
        assertEquals(3, chain.nodes());
        chain.removeValue("b");
        assertEquals(2, chain.nodes(), "a valueless node on a straight path is dropped");
        assertEquals("c", find(chain, "10.1.2.3"));
        assertEquals("a", find(chain, "10.1.3.3"));

        AllowedIps<String> fork = new AllowedIps<>();
        fork.insert(ip("10.0.0.0"), 16, "x");
        fork.insert(ip("10.1.0.0"), 16, "y");
        assertEquals(3, fork.nodes(), "two prefixes and the fork where they part");
        fork.removeValue("x");
        assertEquals(1, fork.nodes(), "a fork with one branch left is dropped");
        assertEquals("y", find(fork, "10.1.0.1"));
        assertNull(find(fork, "10.0.0.1"));
    }

    @Test
    void clearEmptiesBothFamilies() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("10.0.0.0"), 8, "a");
        t.insert(ip("::"), 0, "b");
        t.clear();
        assertEquals(0, t.size());
        assertNull(find(t, "10.0.0.1"));
        assertNull(find(t, "::1"));
    }

    @Test
    void ipv6PrefixesAndHostRoutes() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("::"), 0, "all");
        t.insert(ip("2001:db8::"), 32, "doc");
        t.insert(ip("2001:db8:0:1::"), 64, "lan");
        t.insert(ip("2001:db8:0:1::1"), 128, "host");
        t.insert(ip("2001:db8:0:1::"), 127, "pair");
        assertEquals("host", find(t, "2001:db8:0:1::1"));
        assertEquals("pair", find(t, "2001:db8:0:1::"));
        assertEquals("lan", find(t, "2001:db8:0:1::2"));
        assertEquals("doc", find(t, "2001:db8:ffff::"));
        assertEquals("all", find(t, "2001:db9::"));
        assertNull(find(t, "10.0.0.1"));
    }

    @Test
    void looksUpTheAddressAtAnOffsetInsideAPacket() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("192.168.0.0"), 16, "v4");
        t.insert(ip("fe80::"), 10, "v6");
        byte[] v4 = new byte[20];
        System.arraycopy(ip("10.0.0.1"), 0, v4, 12, 4); // source
        System.arraycopy(ip("192.168.3.4"), 0, v4, 16, 4); // destination
        assertNull(t.lookup(v4, 12, 4));
        assertEquals("v4", t.lookup(v4, 16, 4));
        byte[] v6 = new byte[40];
        System.arraycopy(ip("fe80::1"), 0, v6, 8, 16);
        System.arraycopy(ip("2001:db8::1"), 0, v6, 24, 16);
        assertEquals("v6", t.lookup(v6, 8, 16));
        assertNull(t.lookup(v6, 24, 16));
        assertThrows(IndexOutOfBoundsException.class, () -> t.lookup(v4, 17, 4));
    }

    @Test
    void entriesListEveryPrefixWithItsValue() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(ip("fd00::"), 8, "c");
        t.insert(ip("10.1.0.0"), 16, "b");
        t.insert(ip("10.0.0.0"), 8, "a");
        assertEquals(List.of(
                new AllowedIps.Entry<>(InetAddress.getByName("10.0.0.0"), 8, "a"),
                new AllowedIps.Entry<>(InetAddress.getByName("10.1.0.0"), 16, "b"),
                new AllowedIps.Entry<>(InetAddress.getByName("fd00::"), 8, "c")), t.entries());
    }

    @Test
    void rejectsMalformedPrefixes() {
        AllowedIps<String> t = new AllowedIps<>();
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[5], 8, "x"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[4], 33, "x"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[16], -1, "x"));
        assertThrows(NullPointerException.class, () -> t.insert(new byte[4], 8, null));
        assertThrows(IllegalArgumentException.class, () -> t.lookup(new byte[20], 0, 6));
    }

    @Test
    void lookupAllocatesNothing() {
        AllowedIps<Integer> t = new AllowedIps<>();
        Linear model = new Linear();
        Random rnd = new Random(1);
        byte[] packet = new byte[64];
        for (int i = 0; i < 1000; i++) {
            byte[] a = new byte[4];
            rnd.nextBytes(a);
            int bits = 8 + rnd.nextInt(25);
            t.insert(a, bits, i);
            model.insert(a, bits, i);
            if (i < 16) {
                System.arraycopy(a, 0, packet, 4 * i, 4); // aligned windows that hit, unaligned ones that mostly miss
            }
        }
        int hitsPerRound = 0;
        for (int off = 0; off < 32; off++) {
            hitsPerRound += model.lookup(Arrays.copyOfRange(packet, off, off + 4)) == null ? 0 : 1;
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int hits = 0;
        for (int i = 0; i < 20_000; i++) {
            hits += t.lookup(packet, i & 31, 4) == null ? 0 : 1; // warm up
        }
        hits = 0;
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 32 * 3125; i++) {
            hits += t.lookup(packet, i & 31, 4) == null ? 0 : 1;
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        // The lookups did their work (and the loop was not optimized away): as many hits as the model finds.
        assertTrue(hitsPerRound >= 8 && hitsPerRound < 32, "the packet has windows that hit and windows that miss: " + hitsPerRound);
        assertEquals(3125 * hitsPerRound, hits);
        // A few hundred bytes of slack for the measurement itself; one object per lookup would be megabytes.
        assertTrue(allocated < 4096, "lookups allocated " + allocated + " bytes");
    }

    @Test
    void ipv4AgreesWithLinearScan() {
        agreesWithLinearScan(4, 11);
    }

    @Test
    void ipv6AgreesWithLinearScan() {
        agreesWithLinearScan(16, 12);
    }

    /** A brute-force model: every prefix in a list, the longest containing one wins. */
    private static final class Linear {
        final Map<String, Object[]> prefixes = new LinkedHashMap<>();

        void insert(byte[] a, int bits, int value) {
            byte[] key = mask(a, bits);
            prefixes.put(Arrays.toString(key) + "/" + bits, new Object[] {key, bits, value});
        }

        void removeValue(int value) {
            prefixes.values().removeIf(p -> (int) p[2] == value);
        }

        Integer lookup(byte[] a) {
            Integer best = null;
            int bestBits = -1;
            for (Object[] p : prefixes.values()) {
                int bits = (int) p[1];
                if (bits > bestBits && Arrays.equals(mask(a, bits), (byte[]) p[0])) {
                    best = (Integer) p[2];
                    bestBits = bits;
                }
            }
            return best;
        }

        static byte[] mask(byte[] a, int bits) {
            byte[] out = a.clone();
            for (int i = 0; i < out.length; i++) {
                int keep = Math.max(0, Math.min(8, bits - 8 * i));
                out[i] &= (byte) (0xff00 >>> keep);
            }
            return out;
        }
    }

    private static void agreesWithLinearScan(int length, long seed) {
        Random rnd = new Random(seed);
        int maxBits = length * 8;
        // Few bases so that prefixes overlap and share long paths; random flips so they fork.
        List<byte[]> bases = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] b = new byte[length];
            rnd.nextBytes(b);
            bases.add(b);
        }
        AllowedIps<Integer> trie = new AllowedIps<>();
        Linear model = new Linear();
        List<byte[]> inserted = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 1500; i++) {
                byte[] a = nearby(rnd, bases, maxBits);
                int bits = rnd.nextInt(10) == 0 ? rnd.nextInt(maxBits + 1) : maxBits - rnd.nextInt(maxBits / 2 + 1);
                int value = rnd.nextInt(200);
                trie.insert(a, bits, value);
                model.insert(a, bits, value);
                inserted.add(a);
            }
            for (int i = 0; i < 20; i++) {
                int value = rnd.nextInt(200);
                trie.removeValue(value);
                model.removeValue(value);
            }
            assertEquals(model.prefixes.size(), trie.size(), "size after round " + round);
            assertEquals(model.prefixes.size(), trie.entries().size());
            assertTrue(trie.nodes() < 2 * Math.max(1, trie.size()), "forks only where paths part");
            byte[] packet = new byte[length + 8];
            for (int i = 0; i < 3000; i++) {
                byte[] a = switch (i % 3) {
                    case 0 -> inserted.get(rnd.nextInt(inserted.size()));
                    case 1 -> nearby(rnd, bases, maxBits);
                    default -> {
                        byte[] r = new byte[length];
                        rnd.nextBytes(r);
                        yield r;
                    }
                };
                int off = rnd.nextInt(9);
                System.arraycopy(a, 0, packet, off, length);
                assertEquals(model.lookup(a), trie.lookup(packet, off, length),
                        "lookup " + Arrays.toString(a) + " in round " + round);
            }
        }
        Set<String> fromTrie = trie.entries().stream()
                .map(e -> Arrays.toString(e.address().getAddress()) + "/" + e.bits() + "=" + e.value())
                .collect(Collectors.toSet());
        Set<String> fromModel = model.prefixes.values().stream()
                .map(p -> Arrays.toString((byte[]) p[0]) + "/" + p[1] + "=" + p[2])
                .collect(Collectors.toSet());
        assertEquals(fromModel, fromTrie);
        for (int value = 0; value < 200; value++) {
            trie.removeValue(value);
        }
        assertEquals(0, trie.size());
        assertEquals(0, trie.nodes(), "removing every value leaves no node behind");
    }

    /** A base address with a few random bits flipped. */
    private static byte[] nearby(Random rnd, List<byte[]> bases, int maxBits) {
        byte[] a = bases.get(rnd.nextInt(bases.size())).clone();
        int flips = rnd.nextInt(4);
        for (int f = 0; f < flips; f++) {
            int bit = rnd.nextInt(maxBits);
            a[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        }
        return a;
    }
}
