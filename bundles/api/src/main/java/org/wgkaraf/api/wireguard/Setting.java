package org.wgkaraf.api.wireguard;

/**
 * One instance as {@code config list network.wireguard} shows it.
 *
 * @param display the value to show: the value itself, {@code (hidden)} for a set secret, or
 *                empty when unset
 * @param set     whether a value is configured (else the default applies, if any)
 */
public record Setting(Instance instance, String display, boolean set) {
}
