package org.wgkaraf.api.wireguard;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@code network.wireguard} configuration (ConfigAdmin PID {@value #PID}). Every value is
 * validated where it enters: a refused value changes nothing, and the running tunnel keeps its
 * configuration.
 */
@ProviderType
public interface WireGuardSettings {
    String PID = "network.wireguard";

    /** All nine instances in the guide's order; secrets shown as {@code (hidden)}. */
    List<Setting> list();

    /** One instance's display value (secrets {@code (hidden)}). */
    Setting get(Instance instance);

    /**
     * Validates and stores a value.
     *
     * @throws IllegalArgumentException with a message a user can act on; nothing changed
     */
    void set(Instance instance, String value);

    /** Removes a value (the default applies again). */
    void unset(Instance instance);
}
