package org.wgkaraf.config;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.wireguard.Instance;

/**
 * Turns the properties ConfigAdmin hands the client into a verdict: the values to validate (keys
 * read from the {@link SecretStore} where ConfigAdmin holds {@value SecretStore#HIDDEN}), and
 * the clear keys that arrived by another route (Karaf's {@code config:property-set}, an edited
 * .cfg file), which are moved to the store at once; {@link #clearKeys} says which to hide.
 */
final class ConfigIntake {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigIntake.class);

    private final SecretStore secrets;
    private final Function<SecretKey, PublicKey> publicKeyOf;

    ConfigIntake(SecretStore secrets, Function<SecretKey, PublicKey> publicKeyOf) {
        this.secrets = secrets;
        this.publicKeyOf = publicKeyOf;
    }

    /**
     * What one set of properties amounts to.
     *
     * @param result    the validation; {@link Validation.Invalid} names each problem by key
     * @param empty     no instance is set at all: nothing to run, nothing refused
     * @param clearKeys clear keys just moved to the store, by key, with the clear value that
     *                  ConfigAdmin still holds (to be replaced by (hidden))
     */
    record Verdict(Validation.Result result, boolean empty, Map<String, String> clearKeys) {
        /** Problems by instance key; empty when valid. */
        Map<String, String> problems() {
            return result instanceof Validation.Invalid inv ? inv.problems() : Map.of();
        }
    }

    Verdict check(Map<String, Object> properties) {
        Map<String, String> raw = new HashMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> raw.put(k, v == null ? "" : v.toString().strip()));
        }
        boolean empty = Arrays.stream(Instance.values()).noneMatch(i -> raw.containsKey(i.key()));
        Map<String, String> clearKeys = new LinkedHashMap<>();
        Map<String, String> secretProblems = new LinkedHashMap<>();
        for (Instance i : Instance.values()) {
            String v = raw.get(i.key());
            if (!i.secret() || v == null || v.isEmpty()) {
                continue;
            }
            if (SecretStore.HIDDEN.equals(v)) {
                String stored = secrets.get(i).orElse(null);
                if (stored == null) {
                    secretProblems.put(i.key(), "is (hidden) but no key is stored; set it again");
                    raw.remove(i.key());
                } else {
                    raw.put(i.key(), stored);
                }
            } else if (Validation.checkValue(i, v) == null) {
                try {
                    secrets.putKey(i, v);
                    clearKeys.put(i.key(), v);
                } catch (IOException e) {
                    LOG.warn("cannot store {} in {}: {}", i.key(), secrets.file(), e.toString());
                }
            }
        }
        Validation.Result result = Validation.validate(raw, publicKeyOf);
        if (!secretProblems.isEmpty()) {
            Map<String, String> problems = new LinkedHashMap<>(secretProblems);
            if (result instanceof Validation.Invalid inv) {
                inv.problems().forEach(problems::putIfAbsent);
            }
            result = new Validation.Invalid(problems);
        }
        return new Verdict(result, empty, clearKeys);
    }
}
