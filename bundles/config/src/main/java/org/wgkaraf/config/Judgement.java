package org.wgkaraf.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.wgkaraf.api.wireguard.Instance;

/**
 * What the settings service shows beside the values: why each one given was refused, and what
 * the tunnel keeps running with instead (the accepted value, by key; secrets as (hidden)).
 */
record Judgement(Map<String, String> refused, Map<String, String> inUse) {
    static final Judgement NONE = new Judgement(Map.of(), Map.of());

    /** The problems of values actually given: an unset required value shows as such, not as refused. */
    static Map<String, String> givenValueProblems(Validation.Invalid invalid, Map<String, Object> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        invalid.problems().forEach((key, problem) -> {
            Object given = properties == null ? null : properties.get(key);
            if (given != null && !given.toString().isBlank()) {
                out.put(key, problem);
            }
        });
        return Map.copyOf(out);
    }

    /** The accepted values by key as the settings show them (secrets hidden), defaults filled in. */
    static Map<String, String> shown(Map<String, Object> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Instance i : Instance.values()) {
            String v = given(properties, i);
            if (i.secret()) {
                out.put(i.key(), v.isEmpty() ? "" : SecretStore.HIDDEN);
            } else {
                out.put(i.key(), v.isEmpty() ? i.defaultValue().orElse("") : v);
            }
        }
        return Map.copyOf(out);
    }

    /**
     * The instances set in {@code properties}, as ConfigAdmin holds them once the secret store
     * has the keys: strings, secrets as (hidden), unset ones left out.
     */
    static Map<String, String> given(Map<String, Object> properties) {
        Map<String, String> out = new TreeMap<>();
        for (Instance i : Instance.values()) {
            String v = given(properties, i);
            if (!v.isEmpty()) {
                out.put(i.key(), i.secret() ? SecretStore.HIDDEN : v);
            }
        }
        return Map.copyOf(out);
    }

    /** One instance's value as given, stripped; "" when unset. */
    private static String given(Map<String, Object> properties, Instance i) {
        Object raw = properties == null ? null : properties.get(i.key());
        return raw == null ? "" : raw.toString().strip();
    }
}
