package org.wgkaraf.engine.core;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

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

    private final Map<Integer, Entry> entries = new HashMap<>();
    private final SecureRandom random;

    IndexTable(SecureRandom random) {
        this.random = random;
    }

    int newHandshakeIndex(Peer peer) {
        while (true) {
            int index = random.nextInt();
            if (!entries.containsKey(index)) {
                entries.put(index, new HandshakeEntry(peer));
                return index;
            }
        }
    }

    /** The handshake's index now names the keypair it produced. */
    void bindKeypair(Keypair keypair) {
        entries.put(keypair.localIndex, new KeypairEntry(keypair));
    }

    Entry lookup(int index) {
        return entries.get(index);
    }

    void remove(int index) {
        entries.remove(index);
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }
}
