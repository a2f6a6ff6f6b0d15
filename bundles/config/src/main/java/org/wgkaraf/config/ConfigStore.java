package org.wgkaraf.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.karaf.config.core.ConfigRepository;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * The one writer of PID {@code network.wireguard}. Every change is a read-modify-write under one
 * lock, so a {@code config set} and the client moving a clear key out of ConfigAdmin never lose
 * each other's update.
 * <p>
 * In Karaf every change goes through Karaf's own {@link ConfigRepository}, as
 * {@code config:property-set} does: it writes {@code etc/network.wireguard.cfg} first (creating
 * it if need be, keeping its comments), then ConfigAdmin. So every route of configuration ends in
 * that file, a quick start typed with {@code config set} survives a clean start, and the file
 * can be backed up, provisioned or edited by hand. The order matters: Karaf's file installer
 * also writes a configuration back to its file, after the fact and in place, and polls the file
 * for edits; a burst of updates made through ConfigAdmin alone (a quick start pasted in one go)
 * can let it read a file that lags ConfigAdmin and roll the configuration back. Written file
 * first, the file never lags.
 */
final class ConfigStore {
    /** The property by which Karaf's file installer ties a configuration to its .cfg file. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /** Stores a whole set of properties. */
    @FunctionalInterface
    interface Writer {
        void write(Dictionary<String, Object> properties) throws IOException;
    }

    private final ConfigurationAdmin configAdmin;
    private final Writer writer;

    /** In Karaf: through Karaf's configuration repository, the .cfg file first. */
    ConfigStore(ConfigurationAdmin configAdmin, ConfigRepository repository) {
        this.configAdmin = configAdmin;
        this.writer = props -> repository.update(WireGuardSettings.PID, withoutBookkeeping(props));
    }

    /** Outside Karaf (tests, a plain OSGi framework): ConfigAdmin alone. */
    ConfigStore(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
        this.writer = props -> configuration().update(props);
    }

    /** A copy of the current properties (empty when there is no configuration yet). */
    synchronized Dictionary<String, Object> read() {
        try {
            return Dictionaries.copy(configuration().getProperties());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WireGuardSettings.PID + ": " + e.getMessage(), e);
        }
    }

    /** Applies {@code change} to a copy of the current properties and stores the result. */
    synchronized void update(Consumer<Dictionary<String, Object>> change) throws IOException {
        Dictionary<String, Object> props = read();
        change.accept(props);
        writer.write(props);
    }

    /**
     * Replaces with {@code hidden} the values of the keys in {@code expected} that still hold the
     * clear value given there (a key moved to the secret store); others are left alone.
     *
     * @return whether anything was replaced
     */
    synchronized boolean hideIfUnchanged(Map<String, String> expected, String hidden) throws IOException {
        Dictionary<String, Object> props = read();
        boolean changed = false;
        for (var e : expected.entrySet()) {
            Object now = props.get(e.getKey());
            if (now != null && now.toString().strip().equals(e.getValue())) {
                props.put(e.getKey(), hidden);
                changed = true;
            }
        }
        if (changed) {
            writer.write(props);
        }
        return changed;
    }

    /** The properties without what ConfigAdmin and the file installer add themselves. */
    private static Map<String, Object> withoutBookkeeping(Dictionary<String, Object> props) {
        Map<String, Object> m = new HashMap<>();
        for (var keys = props.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            if (!FILE_PROPERTY.equals(k) && !Constants.SERVICE_PID.equals(k)) {
                m.put(k, props.get(k));
            }
        }
        return m;
    }

    private Configuration configuration() throws IOException {
        // Location "?": unbound, so SCR hands it to the client component in any bundle. The
        // one-argument getConfiguration would bind it to the calling bundle instead.
        return configAdmin.getConfiguration(WireGuardSettings.PID, "?");
    }
}
