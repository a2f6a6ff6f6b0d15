package org.wgkaraf.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * {@link WireGuardSettings} over ConfigAdmin: each value is checked before it is stored, so a
 * refused {@code config set} changes nothing. Keys go to the {@link SecretStore}; ConfigAdmin
 * gets {@value SecretStore#HIDDEN}.
 */
@Component(service = WireGuardSettings.class)
public final class SettingsService implements WireGuardSettings {
    private final ConfigurationAdmin configAdmin;
    private final SecretStore secrets;

    private final java.util.function.Function<SecretKey, org.wgkaraf.api.engine.PublicKey> publicKeyOf;

    @Activate
    public SettingsService(@Reference ConfigurationAdmin configAdmin, @Reference org.wgkaraf.api.engine.WireGuardEngine engine) {
        this(configAdmin, new SecretStore(SecretStore.defaultLocation()), engine::publicKey);
    }

    public SettingsService(ConfigurationAdmin configAdmin, SecretStore secrets,
                           java.util.function.Function<SecretKey, org.wgkaraf.api.engine.PublicKey> publicKeyOf) {
        this.configAdmin = configAdmin;
        this.secrets = secrets;
        this.publicKeyOf = publicKeyOf;
    }

    @Override
    public List<Setting> list() {
        Dictionary<String, Object> props = properties();
        List<Setting> out = new ArrayList<>();
        for (Instance i : Instance.values()) {
            out.add(setting(i, props));
        }
        return out;
    }

    @Override
    public Setting get(Instance instance) {
        return setting(instance, properties());
    }

    private Setting setting(Instance i, Dictionary<String, Object> props) {
        Object raw = props.get(i.key());
        String value = raw == null ? "" : raw.toString().strip();
        if (i.secret()) {
            boolean set = !value.isEmpty() && (!SecretStore.HIDDEN.equals(value) || secrets.get(i).isPresent());
            return new Setting(i, set ? SecretStore.HIDDEN : "", set);
        }
        return new Setting(i, value, !value.isEmpty());
    }

    @Override
    public synchronized void set(Instance instance, String value) {
        String problem = Validation.checkValue(instance, value);
        if (problem != null) {
            throw new IllegalArgumentException(instance.key() + ": " + problem);
        }
        String v = value == null ? "" : value.strip();
        Dictionary<String, Object> props = properties();
        String clash = ownKeyClash(instance, v, props);
        if (clash != null) {
            throw new IllegalArgumentException(clash);
        }
        try {
            if (instance.secret() && !v.isEmpty()) {
                secrets.putKey(instance, v);
                props.put(instance.key(), SecretStore.HIDDEN);
            } else {
                if (instance.secret()) {
                    secrets.remove(instance);
                }
                props.put(instance.key(), v);
            }
            configuration().update(props);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + instance.key() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void unset(Instance instance) {
        Dictionary<String, Object> props = properties();
        try {
            if (instance.secret()) {
                secrets.remove(instance);
            }
            props.remove(instance.key());
            configuration().update(props);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unset " + instance.key() + ": " + e.getMessage(), e);
        }
    }

    /** The one check across two instances that a single {@code config set} can already fail. */
    private String ownKeyClash(Instance instance, String v, Dictionary<String, Object> props) {
        String privateKey;
        String peerKey;
        if (instance == Instance.PEER_PUBLIC_KEY) {
            privateKey = secrets.get(Instance.LOCAL_PRIVATE_KEY).orElse(null);
            peerKey = v;
        } else if (instance == Instance.LOCAL_PRIVATE_KEY) {
            privateKey = v;
            Object p = props.get(Instance.PEER_PUBLIC_KEY.key());
            peerKey = p == null ? null : p.toString();
        } else {
            return null;
        }
        if (privateKey == null || peerKey == null || Validation.checkValue(Instance.PEER_PUBLIC_KEY, peerKey) != null) {
            return null;
        }
        SecretKey k = SecretKey.fromBase64(privateKey);
        try {
            return publicKeyOf.apply(k).equals(org.wgkaraf.api.engine.PublicKey.fromBase64(peerKey))
                    ? "peer_public_key: is the module's own public key; it must be the server's" : null;
        } finally {
            k.destroy();
        }
    }

    private Configuration configuration() throws IOException {
        // "?" leaves the configuration unbound: the client's bundle gets it (KARAF-NOTES 11).
        return configAdmin.getConfiguration(PID, "?");
    }

    private Dictionary<String, Object> properties() {
        try {
            return Dictionaries.copy(configuration().getProperties());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PID + ": " + e.getMessage(), e);
        }
    }
}
