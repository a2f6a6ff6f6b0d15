package org.wgkaraf.config;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * ConfigAdmin holding one configuration, network.wireguard, in memory. Every update is handed, as
 * SCR would hand it, to {@link #onUpdate}. Only what the config bundle may call is answered: the
 * two-argument getConfiguration with location "?" (the one-argument form would bind the
 * configuration to the caller's bundle, which is wrong), getProperties, getChangeCount and update.
 */
final class FakeConfigAdmin {
    private Dictionary<String, Object> stored;
    private int updates;
    volatile Consumer<Map<String, Object>> onUpdate = m -> { };
    /**
     * Held from storing an update to handing it over, so updates reach {@link #onUpdate} in the
     * order they were stored, as SCR delivers them (a handler only queues them).
     */
    private final Object delivery = new Object();
    /** Runs once, right after the next read of the properties: another writer's change in between. */
    volatile Runnable afterRead;

    final ConfigurationAdmin admin;

    FakeConfigAdmin() {
        Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> {
                        Dictionary<String, Object> d = properties();
                        Runnable r = afterRead;
                        afterRead = null;
                        if (r != null) {
                            r.run();
                        }
                        yield d;
                    }
                    case "getChangeCount" -> (long) updates();
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        synchronized (delivery) {
                            onUpdate.accept(store(d));
                        }
                        yield null;
                    }
                    case "getPid" -> "network.wireguard";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration") && args.length == 2
                            && "network.wireguard".equals(args[0]) && "?".equals(args[1])) {
                        return configuration;
                    }
                    throw new UnsupportedOperationException(method.getName() + " (must be getConfiguration(pid, \"?\"))");
                });
    }

    private synchronized Dictionary<String, Object> properties() {
        return stored == null ? null : new Hashtable<>(toMap(stored));
    }

    private synchronized Map<String, Object> store(Dictionary<String, Object> d) {
        stored = new Hashtable<>(toMap(d));
        updates++;
        return toMap(stored);
    }

    synchronized Object get(String key) {
        return stored == null ? null : stored.get(key);
    }

    synchronized int updates() {
        return updates;
    }

    /** The configuration as SCR hands it to a component. */
    synchronized Map<String, Object> asMap() {
        return stored == null ? null : toMap(stored);
    }

    /** Writes a configuration, as Karaf's config:property-set or an edited .cfg file does. */
    void put(Map<String, Object> values) {
        synchronized (delivery) {
            onUpdate.accept(store(new Hashtable<>(values)));
        }
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        for (var e = d.keys(); e.hasMoreElements(); ) {
            String k = e.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }
}
