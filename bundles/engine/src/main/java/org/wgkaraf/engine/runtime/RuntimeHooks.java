package org.wgkaraf.engine.runtime;

/**
 * Points inside a tunnel's threads where a test can hold one thread to force an interleaving
 * that chance would rarely produce. Every method is a no-op in production ({@link #NONE}).
 */
interface RuntimeHooks {
    RuntimeHooks NONE = new RuntimeHooks() {
    };

    /** A socket swap closed the old socket and has not yet installed the new one. */
    default void swapClosedOldSocket() {
    }

    /** The receive thread found its socket closed and is about to decide what that means. */
    default void receiverSawClosedSocket() {
    }
}
