package org.wgkaraf.engine.core;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Our random 32-bit session indices (the sender/receiver fields of the messages), each naming a
 * handshake in progress or a keypair. Random so that an observer learns nothing from them.
 */
final class IndexTable {
    /** What an index names: a pending handshake of a peer, or a keypair. */
    sealed interface Entry permits HandshakeEntry, KeypairEntry {
        Peer peer();
    }

    record HandshakeEntry(Peer peer) implements Entry {
    }

    record KeypairEntry(Keypair keypair) implements Entry {
        @Override
        public Peer peer() {
            return keypair.peer;
        }
    }

    /*
     * Open addressing with linear probing on primitive int keys: the transport path looks an index
     * up for every packet, and a HashMap<Integer, …> would box it. Deleted slots are re-inserted
     * (backward shift), so no tombstones accumulate. A tunnel holds a handful of indices per peer.
     */
    private int[] keys = new int[16];
    private Entry[] values = new Entry[16];
    private int size;
    private final SecureRandom random;

    IndexTable(SecureRandom random) {
        this.random = random;
    }

    int newHandshakeIndex(Peer peer) {
        while (true) {
            int index = random.nextInt();
            if (lookup(index) == null) {
                put(index, new HandshakeEntry(peer));
                return index;
            }
        }
    }

    /** The handshake's index now names the keypair it produced. */
    void bindKeypair(Keypair keypair) {
        put(keypair.localIndex, new KeypairEntry(keypair));
    }

    Entry lookup(int index) {
        int mask = keys.length - 1;
        for (int i = slot(index, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == index) {
                return values[i];
            }
        }
        return null;
    }

    void remove(int index) {
        int mask = keys.length - 1;
        int i = slot(index, mask);
        while (values[i] != null && keys[i] != index) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        // Re-place the rest of the probe run so that lookups never stop at the hole.
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int k = keys[j];
            Entry v = values[j];
            values[j] = null;
            size--;
            put(k, v);
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private void put(int index, Entry entry) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(index, mask);
        while (values[i] != null && keys[i] != index) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            size++;
        }
        keys[i] = index;
        values[i] = entry;
    }

    private void grow() {
        int[] oldKeys = keys;
        Entry[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Entry[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(int index, int mask) {
        return (index * 0x9E3779B9) >>> 16 & mask; // indices are random already; spread anyway
    }
}
