package org.wgkaraf.api.wireguard;

/**
 * One instance as {@code config list network.wireguard} shows it.
 *
 * @param display  the value to show: the value itself, {@code (hidden)} for a set secret, or
 *                 empty when unset
 * @param set      whether a value is configured (else the default applies, if any)
 * @param refused  why the configured value was refused, or null when it was accepted (or the
 *                 configuration as a whole was not checked yet)
 * @param inUse    while a value is refused: the value the tunnel keeps running with
 *                 ({@code (hidden)} for a secret), or null when no tunnel runs
 */
public record Setting(Instance instance, String display, boolean set, String refused, String inUse) {

    /** An accepted (or not yet checked) value. */
    public Setting(Instance instance, String display, boolean set) {
        this(instance, display, set, null, null);
    }
}
