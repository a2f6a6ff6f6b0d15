package org.wgkaraf.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * {@link WireGuardSettings} over ConfigAdmin: each value is checked before it is stored, so a
 * refused {@code config set} changes nothing. Keys go to the {@link SecretStore}; ConfigAdmin
 * gets {@value SecretStore#HIDDEN}. A value refused by another route (an edited .cfg file,
 * Karaf's {@code config:property-set}) is shown with why, and with what the tunnel runs with.
 */
final class Settings implements WireGuardSettings {
    private final ConfigStore store;
    private final SecretStore secrets;
    private final Function<SecretKey, PublicKey> publicKeyOf;
    private final Supplier<Judgement> judgement;

    Settings(ConfigStore store, SecretStore secrets, Function<SecretKey, PublicKey> publicKeyOf,
             Supplier<Judgement> judgement) {
        this.store = store;
        this.secrets = secrets;
        this.publicKeyOf = publicKeyOf;
        this.judgement = judgement;
    }

    @Override
    public List<Setting> list() {
        Dictionary<String, Object> props = store.read();
        Judgement j = judgement.get();
        List<Setting> out = new ArrayList<>();
        for (Instance i : Instance.values()) {
            out.add(setting(i, props, j));
        }
        return out;
    }

    @Override
    public Setting get(Instance instance) {
        return setting(instance, store.read(), judgement.get());
    }

    private Setting setting(Instance i, Dictionary<String, Object> props, Judgement j) {
        Object raw = props.get(i.key());
        String value = raw == null ? "" : raw.toString().strip();
        String refused = j.refused().get(i.key());
        String inUse = refused == null ? null : j.inUse().get(i.key());
        if (i.secret()) {
            boolean set = !value.isEmpty() && (!SecretStore.HIDDEN.equals(value) || secrets.get(i).isPresent());
            return new Setting(i, set ? SecretStore.HIDDEN : "", set, refused, inUse);
        }
        return new Setting(i, value, !value.isEmpty(), refused, inUse);
    }

    @Override
    public void set(Instance instance, String value) {
        String problem = Validation.checkValue(instance, value);
        if (problem != null) {
            throw new IllegalArgumentException(instance.key() + ": " + problem);
        }
        String v = value == null ? "" : value.strip();
        String clash = ownKeyClash(instance, v, store.read());
        if (clash != null) {
            throw new IllegalArgumentException(clash);
        }
        try {
            if (instance.secret() && !v.isEmpty()) {
                secrets.putKey(instance, v);
                store.update(props -> props.put(instance.key(), SecretStore.HIDDEN));
            } else {
                if (instance.secret()) {
                    secrets.remove(instance);
                }
                store.update(props -> props.put(instance.key(), v));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + instance.key() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unset(Instance instance) {
        try {
            if (instance.secret()) {
                secrets.remove(instance);
            }
            store.update(props -> props.remove(instance.key()));
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
            return publicKeyOf.apply(k).equals(PublicKey.fromBase64(peerKey))
                    ? "peer_public_key: is the module's own public key; it must be the server's" : null;
        } finally {
            k.destroy();
        }
    }
}
