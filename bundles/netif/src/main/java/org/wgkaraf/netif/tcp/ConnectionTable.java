package org.wgkaraf.netif.tcp;

import java.util.Arrays;

/**
 * Connections by four-tuple: an open-addressing hash table (linear probing, deletion by backward
 * shift) on primitive keys, so finding the connection of a segment allocates nothing. A seeded
 * hash keeps a peer from choosing ports that collide. Readers of every connection (the timer, the
 * status) use a snapshot array replaced on each change. Its lock is a leaf, held for a lookup.
 */
final class ConnectionTable {
    private static final UserspaceConnection[] NONE = new UserspaceConnection[0];

    private final int seed;
    private long[] addresses = new long[64];
    private int[] ports = new int[64];
    private UserspaceConnection[] values = new UserspaceConnection[64];
    private int size;
    private volatile UserspaceConnection[] snapshot = NONE;

    ConnectionTable(int seed) {
        this.seed = seed;
    }

    private static long addresses(int local, int remote) {
        return (long) local << 32 | (remote & 0xffffffffL);
    }

    private static int ports(int local, int remote) {
        return local << 16 | (remote & 0xffff);
    }

    private int slot(long a, int p, int mask) {
        long h = a * 0x9e3779b97f4a7c15L ^ (p + seed) * 0xc2b2ae3d27d4eb4fL;
        h ^= h >>> 29;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    synchronized UserspaceConnection get(int localAddress, int localPort, int remoteAddress, int remotePort) {
        long a = addresses(localAddress, remoteAddress);
        int p = ports(localPort, remotePort);
        int mask = values.length - 1;
        for (int i = slot(a, p, mask); values[i] != null; i = (i + 1) & mask) {
            if (addresses[i] == a && ports[i] == p) {
                return values[i];
            }
        }
        return null;
    }

    /** Adds {@code c} unless its four-tuple is taken. @return whether it was added */
    synchronized boolean add(UserspaceConnection c) {
        Tcb t = c.tcb;
        if (get(t.localAddress, t.localPort, t.remoteAddress, t.remotePort) != null) {
            return false;
        }
        if (2 * (size + 1) > values.length) {
            grow();
        }
        insert(addresses(t.localAddress, t.remoteAddress), ports(t.localPort, t.remotePort), c);
        size++;
        UserspaceConnection[] s = Arrays.copyOf(snapshot, snapshot.length + 1);
        s[s.length - 1] = c;
        snapshot = s;
        return true;
    }

    private void insert(long a, int p, UserspaceConnection c) {
        int mask = values.length - 1;
        int i = slot(a, p, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        addresses[i] = a;
        ports[i] = p;
        values[i] = c;
    }

    private void grow() {
        long[] oldA = addresses;
        int[] oldP = ports;
        UserspaceConnection[] oldV = values;
        addresses = new long[oldA.length * 2];
        ports = new int[oldP.length * 2];
        values = new UserspaceConnection[oldV.length * 2];
        for (int i = 0; i < oldV.length; i++) {
            if (oldV[i] != null) {
                insert(oldA[i], oldP[i], oldV[i]);
            }
        }
    }

    /** Removes {@code c} (that very object: a newer connection on the same four-tuple stays). */
    synchronized boolean remove(UserspaceConnection c) {
        Tcb t = c.tcb;
        long a = addresses(t.localAddress, t.remoteAddress);
        int p = ports(t.localPort, t.remotePort);
        int mask = values.length - 1;
        int i = slot(a, p, mask);
        while (values[i] != null && values[i] != c) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        values[i] = null;
        // Backward shift: move later entries of the run into the hole when their home allows it.
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(addresses[j], ports[j], mask);
            boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (movable) {
                addresses[hole] = addresses[j];
                ports[hole] = ports[j];
                values[hole] = values[j];
                values[j] = null;
                hole = j;
            }
        }
        size--;
        UserspaceConnection[] s = snapshot;
        UserspaceConnection[] n = new UserspaceConnection[s.length - 1];
        int k = 0;
        for (UserspaceConnection x : s) {
            if (x != c) {
                n[k++] = x;
            }
        }
        snapshot = n;
        return true;
    }

    /** Every connection, as of the last change; never modified. */
    UserspaceConnection[] snapshot() {
        return snapshot;
    }

    synchronized int size() {
        return size;
    }
}
