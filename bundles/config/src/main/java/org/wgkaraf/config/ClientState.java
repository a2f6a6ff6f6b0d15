package org.wgkaraf.config;

/**
 * Where the client stands, as {@code wireguard status} and JMX report it. Derived from the
 * original's rules (see {@link Lifecycle#shouldRun}), in the order they are checked.
 */
public enum ClientState {
    /** The component is deactivated. */
    CLOSED,
    /** No valid configuration yet: nothing to run. */
    UNCONFIGURED,
    /** {@code wireguard stop} holds until {@code wireguard start}. */
    STOPPED_BY_USER,
    /** No uplink with an address and the default route. */
    WAITING_FOR_NETWORK,
    /** A start failed; another try is scheduled (backoff 1 s doubling to 60 s). */
    RETRYING,
    /** The tunnel and its interface exist; the peer may be up or not. */
    RUNNING
}
