package org.wgkaraf.shell.format;

import java.util.ArrayList;
import java.util.List;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * {@code config list network.wireguard} and {@code config get}, laid out like OVMS's {@code config
 * list}: the parameter, then {@code  <instance>: <value>} in the guide's order. Secrets arrive as
 * {@code (hidden)} from the service and are never asked for in clear.
 */
public final class SettingFormat {
    static final String HIDDEN = "(hidden)";
    static final String NONE = "(none)";

    private SettingFormat() {
    }

    public static List<String> list(List<Setting> settings) {
        List<String> lines = new ArrayList<>();
        lines.add(WireGuardSettings.PID);
        for (Setting setting : settings) {
            lines.add("  " + setting.instance().key() + ": " + withVerdict(setting));
        }
        return lines;
    }

    /**
     * The value, and when it was refused, why and what the tunnel runs with instead:
     * {@code 70000 (refused: 70000 is out of range: ...; the tunnel runs with 51820)}.
     */
    public static String withVerdict(Setting setting) {
        String v = value(setting);
        if (setting.refused() == null) {
            return v;
        }
        String keeps = setting.inUse() == null ? "nothing runs until it is fixed"
                : "the tunnel runs with " + (setting.inUse().isEmpty() ? NONE : setting.inUse());
        return v + " (refused: " + setting.refused() + "; " + keeps + ")";
    }

    /**
     * The value, or what applies while unset: {@code 0 (default)}, {@code (none) (default)},
     * {@code (not set; required)}. A secret is hidden here as well, whatever the service displays.
     */
    public static String value(Setting setting) {
        if (setting.set() && setting.instance().secret()) {
            return setting.display().isEmpty() ? NONE : HIDDEN;
        }
        if (setting.set()) {
            return setting.display();
        }
        return setting.instance().defaultValue()
                .map(d -> (d.isEmpty() ? NONE : d) + " (default)")
                .orElse("(not set; required)");
    }
}
