package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.engine.runtime.EngineService;

class ValidationTest {
    private static final EngineService ENGINE = new EngineService();

    /** The guide's quick start, verbatim values. */
    static Map<String, String> quickStart() {
        Map<String, String> m = new HashMap<>();
        m.put("local_ip_address", "172.16.10.20");
        m.put("local_ip_netmask", "255.240.0.0");
        m.put("local_port", "11010");
        m.put("local_private_key", "kI2/adVWRseT2ZtYxn/5lTzQsPKK8F7YHWcIo3iwgHk=");
        m.put("peer_endpoint", "wg.example.net");
        m.put("peer_port", "51820");
        m.put("peer_public_key", "r5xRjMaiu1apmP6YzRviL8djtBfjcWGnOd2mmHNOqm4=");
        m.put("preshared_key", "JUvxtI5sFm9n0zY6N4Z8rz/nSnww2DaeFKsOPGnC1WA=");
        m.put("persistent_keepalive", "25");
        return m;
    }

    @Test
    void theGuidesQuickStartIsValid() {
        WireGuardConfig c = assertInstanceOf(Validation.Valid.class, Validation.validate(quickStart(), ENGINE::publicKey)).config();
        assertEquals("172.16.0.0/12", c.subnet().toString());
        assertEquals(11010, c.localPort());
        assertEquals(25, c.persistentKeepalive());
        assertEquals(NetifRegistry.Backend.USERSPACE, c.backend());
        assertFalse(c.toString().contains("kI2/adVW"), "the record never prints the private key");
        assertFalse(c.toString().contains("JUvxtI5s"), "nor the pre-shared key");
    }

    @Test
    void defaultsApplyWhenOptionalInstancesAreUnset() {
        Map<String, String> m = quickStart();
        m.remove("local_port");
        m.remove("peer_port");
        m.remove("preshared_key");
        m.remove("persistent_keepalive");
        WireGuardConfig c = assertInstanceOf(Validation.Valid.class, Validation.validate(m, ENGINE::publicKey)).config();
        assertEquals(0, c.localPort());
        assertEquals(51820, c.peerPort());
        assertNull(c.presharedKey());
        assertEquals(0, c.persistentKeepalive());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "local_ip_address|172.16.10|is not an IPv4 address",
            "local_ip_address|wg.example.net|is not an IPv4 address",
            "local_ip_address|0.0.0.0|cannot be a host address",
            "local_ip_address|172.16.0.0|is the network address",
            "local_ip_netmask|255.0.255.0|is not a contiguous netmask",
            "local_ip_netmask|0.0.0.0|is not a contiguous netmask",
            "local_ip_netmask|255.256.0.0|is not an IPv4 address",
            "local_private_key|not-base64!|not valid base64",
            "local_private_key|AAAA|decodes to 3 bytes",
            "peer_public_key|hi0SNx8JJVLWIOuIfeQW5Ea5SK/41g4DeXJ2eJR9R3Y=|is the module's own public key",
            "local_port|65536|is out of range",
            "local_port|-1|is not a number",
            "local_port|abc|is not a number",
            "peer_port|0|is out of range",
            "persistent_keepalive|70000|is out of range",
            "peer_endpoint|bad_host!|is not a valid host name",
            "peer_endpoint|wg.example.net:51820|is not a host name or address",
            "peer_endpoint|-leading.example|is not a valid host name",
            "interface_backend|kernel|is not a backend"})
    void eachKindOfBadValueIsRefusedWithAMessage(String key, String value, String expected) {
        Map<String, String> m = quickStart();
        m.put(key, value);
        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, Validation.validate(m, ENGINE::publicKey));
        assertTrue(invalid.problems().containsKey(key), invalid.problems().toString());
        assertTrue(invalid.problems().get(key).contains(expected), invalid.problems().get(key));
        if (key.contains("key")) {
            assertFalse(invalid.summary().contains(value) && value.length() > 8, "a key is never quoted back");
        }
    }

    @Test
    void missingRequiredInstancesAreEachNamed() {
        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, Validation.validate(Map.of(), ENGINE::publicKey));
        assertEquals(java.util.List.of("local_ip_address", "local_ip_netmask", "local_private_key", "peer_endpoint", "peer_public_key"),
                java.util.List.copyOf(invalid.problems().keySet()));
    }

    @Test
    void singleValuesAreCheckedAsConfigSetReceivesThem() {
        assertNull(Validation.checkValue(Instance.PEER_ENDPOINT, "demo.wireguard.com"));
        assertNull(Validation.checkValue(Instance.PEER_ENDPOINT, "192.0.2.7"));
        assertNull(Validation.checkValue(Instance.PEER_ENDPOINT, "2001:db8::1"));
        assertNull(Validation.checkValue(Instance.PRESHARED_KEY, ""), "an empty pre-shared key means none");
        assertNull(Validation.checkValue(Instance.LOCAL_PORT, " 11010 "));
        assertTrue(Validation.checkValue(Instance.PEER_PORT, "51820x").contains("is not a number"));
    }

    @Test
    void changesAreClassifiedByWhatTheyCost() {
        WireGuardConfig base = ((Validation.Valid) Validation.validate(quickStart(), ENGINE::publicKey)).config();
        Map<String, String> m = quickStart();
        m.put("persistent_keepalive", "30");
        assertEquals(WireGuardConfig.Change.RECONFIGURE, config(m).changeFrom(base));
        m = quickStart();
        m.put("local_ip_netmask", "255.255.0.0");
        assertEquals(WireGuardConfig.Change.NEW_TUNNEL, config(m).changeFrom(base));
        assertEquals(WireGuardConfig.Change.NONE, config(quickStart()).changeFrom(base));
        assertEquals(WireGuardConfig.Change.NEW_TUNNEL, base.changeFrom(null));
    }

    private static WireGuardConfig config(Map<String, String> m) {
        return ((Validation.Valid) Validation.validate(m, ENGINE::publicKey)).config();
    }
}
