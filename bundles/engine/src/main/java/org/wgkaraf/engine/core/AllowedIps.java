package org.wgkaraf.engine.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The allowed-IPs table: IPv4 and IPv6 prefixes mapped to values (peers), looked up by longest
 * prefix match. Each family is a path-compressed binary trie: a node holds a whole prefix, and
 * only prefixes and the forks between them exist, so a lookup visits at most one node per
 * address bit and usually far fewer.
 *
 * <p>Lookups take no lock and allocate nothing; they run per packet on the data path while the
 * configuration may change. Mutators are synchronized and publish every change with a single
 * volatile write of a fully built node, so a concurrent lookup sees the trie either before or
 * after each step, never a half-linked node.
 *
 * @param <T> the value type; values are compared with {@code equals} by {@link #removeValue}
 */
public final class AllowedIps<T> {

    /** One prefix of the table, host bits cleared. */
    public record Entry<T>(InetAddress address, int bits, T value) {
    }

    private static final class Node<T> {
        final byte[] key;
        final int bits;
        volatile Node<T> zero;
        volatile Node<T> one;
        volatile T value;

        Node(byte[] key, int bits, T value) {
            this.key = key;
            this.bits = bits;
            this.value = value;
        }

        Node<T> child(int bit) {
            return bit == 0 ? zero : one;
        }

        void setChild(int bit, Node<T> node) {
            if (bit == 0) {
                zero = node;
            } else {
                one = node;
            }
        }
    }

    private volatile Node<T> root4;
    private volatile Node<T> root6;
    private int size;

    public AllowedIps() {
    }

    /**
     * Maps {@code address/bits} to {@code value}, replacing the value of an identical prefix.
     * Host bits of {@code address} are ignored.
     */
    public synchronized void insert(byte[] address, int bits, T value) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(value, "value");
        int length = address.length;
        checkLength(length);
        if (bits < 0 || bits > length * 8) {
            throw new IllegalArgumentException("prefix length " + bits + " is outside 0-" + length * 8);
        }
        byte[] key = masked(address, bits);
        Node<T> parent = null;
        Node<T> node = root(length);
        while (node != null && node.bits <= bits && covers(node, key, 0)) {
            if (node.bits == bits) {
                if (node.value == null) {
                    size++;
                }
                node.value = value;
                return;
            }
            parent = node;
            node = node.child(bitAt(key, 0, node.bits));
        }
        Node<T> leaf = new Node<>(key, bits, value);
        Node<T> replacement;
        if (node == null) {
            replacement = leaf;
        } else {
            // node hangs where the new prefix belongs but does not cover it: either the new
            // prefix covers node, or the two part ways and need a fork at their common prefix.
            int common = Math.min(Math.min(bits, node.bits), commonPrefix(key, node.key));
            if (common == bits) {
                leaf.setChild(bitAt(node.key, 0, bits), node);
                replacement = leaf;
            } else {
                Node<T> fork = new Node<>(masked(key, common), common, null);
                fork.setChild(bitAt(node.key, 0, common), node);
                fork.setChild(bitAt(key, 0, common), leaf);
                replacement = fork;
            }
        }
        if (parent == null) {
            setRoot(length, replacement);
        } else {
            parent.setChild(bitAt(key, 0, parent.bits), replacement);
        }
        size++;
    }

    /**
     * The value of the longest prefix containing the address at
     * {@code packet[addrOffset .. addrOffset + addrLength)}, or null. Allocates nothing.
     */
    public T lookup(byte[] packet, int addrOffset, int addrLength) {
        checkLength(addrLength);
        Objects.checkFromIndexSize(addrOffset, addrLength, packet.length);
        int max = addrLength * 8;
        Node<T> node = addrLength == 4 ? root4 : root6;
        T best = null;
        // A node that does not cover the address rules out its whole subtree.
        while (node != null && covers(node, packet, addrOffset)) {
            T v = node.value;
            if (v != null) {
                best = v;
            }
            if (node.bits == max) {
                break;
            }
            node = node.child(bitAt(packet, addrOffset, node.bits));
        }
        return best;
    }

    /** {@link #lookup(byte[], int, int)} for an address held as an {@link InetAddress}. */
    public T lookup(InetAddress address) {
        byte[] raw = address.getAddress();
        return lookup(raw, 0, raw.length);
    }

    /** Removes every prefix whose value equals {@code value}. */
    public synchronized void removeValue(T value) {
        Objects.requireNonNull(value, "value");
        Node<T> r4 = prune(root4, value);
        if (r4 != root4) {
            root4 = r4;
        }
        Node<T> r6 = prune(root6, value);
        if (r6 != root6) {
            root6 = r6;
        }
    }

    public synchronized void clear() {
        root4 = null;
        root6 = null;
        size = 0;
    }

    /** Every prefix, IPv4 first, each family in address order with shorter prefixes first. */
    public synchronized List<Entry<T>> entries() {
        List<Entry<T>> out = new ArrayList<>(size);
        collect(root4, out);
        collect(root6, out);
        return out;
    }

    /** Number of prefixes held. */
    public synchronized int size() {
        return size;
    }

    /**
     * Nodes in both tries. Path compression keeps it below twice {@link #size()}: every node
     * without a value is a fork with two children. Visible for tests.
     */
    synchronized int nodes() {
        return count(root4) + count(root6);
    }

    private static int count(Node<?> node) {
        return node == null ? 0 : 1 + count(node.zero) + count(node.one);
    }

    /** Drops the value from the subtree and returns what should hang in its place. */
    private Node<T> prune(Node<T> node, T value) {
        if (node == null) {
            return null;
        }
        T v = node.value;
        if (v != null && v.equals(value)) {
            node.value = null;
            size--;
        }
        Node<T> zero = prune(node.zero, value);
        if (zero != node.zero) {
            node.zero = zero;
        }
        Node<T> one = prune(node.one, value);
        if (one != node.one) {
            node.one = one;
        }
        if (node.value != null || (zero != null && one != null)) {
            return node;
        }
        // A valueless node with one child or none carries no information: its child's key
        // already holds the whole path.
        return zero != null ? zero : one;
    }

    private void collect(Node<T> node, List<Entry<T>> out) {
        if (node == null) {
            return;
        }
        T v = node.value;
        if (v != null) {
            try {
                out.add(new Entry<>(InetAddress.getByAddress(node.key.clone()), node.bits, v));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // unreachable: keys are 4 or 16 bytes
            }
        }
        collect(node.zero, out);
        collect(node.one, out);
    }

    private Node<T> root(int length) {
        return length == 4 ? root4 : root6;
    }

    private void setRoot(int length, Node<T> node) {
        if (length == 4) {
            root4 = node;
        } else {
            root6 = node;
        }
    }

    private static void checkLength(int length) {
        if (length != 4 && length != 16) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + length);
        }
    }

    /** Whether the address at {@code a[off..]} starts with the node's prefix. */
    private static boolean covers(Node<?> node, byte[] a, int off) {
        byte[] key = node.key;
        int whole = node.bits >>> 3;
        for (int i = 0; i < whole; i++) {
            if (key[i] != a[off + i]) {
                return false;
            }
        }
        int rest = node.bits & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >>> rest) & 0xff;
        return ((a[off + whole] ^ key[whole]) & mask) == 0;
    }

    private static int bitAt(byte[] a, int off, int index) {
        return (a[off + (index >>> 3)] >>> (7 - (index & 7))) & 1;
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            int diff = (a[i] ^ b[i]) & 0xff;
            if (diff != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(diff) - 24;
            }
        }
        return a.length * 8;
    }

    private static byte[] masked(byte[] address, int bits) {
        byte[] out = new byte[address.length];
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            out[i] = (byte) (address[i] & (0xff00 >>> keep));
        }
        return out;
    }
}
