package org.wgkaraf.api.access;

/** Where a listener of the access bundle stands. */
public enum ListenerState {
    /** Its port setting is 0. */
    OFF,
    /** Configured, but something it needs is missing (the detail says what). */
    WAITING,
    /** Accepting connections. */
    LISTENING,
    /** It tried to listen and could not (the detail says why); it tries again on the next change. */
    FAILED
}
