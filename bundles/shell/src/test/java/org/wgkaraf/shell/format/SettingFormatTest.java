package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.shell.fixture.QuickStart.MODULE_PRIVATE;
import static org.wgkaraf.shell.fixture.QuickStart.PRESHARED;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;

class SettingFormatTest {
    @Test
    void setValuesShowAsTheyAre() {
        assertEquals("11010", SettingFormat.value(new Setting(Instance.LOCAL_PORT, "11010", true)));
    }

    @Test
    void unsetValuesShowTheirDefaultOrThatTheyAreRequired() {
        assertEquals("0 (default)", SettingFormat.value(new Setting(Instance.LOCAL_PORT, "", false)));
        assertEquals("51820 (default)", SettingFormat.value(new Setting(Instance.PEER_PORT, "", false)));
        assertEquals("(none) (default)", SettingFormat.value(new Setting(Instance.PRESHARED_KEY, "", false)));
        assertEquals("(not set; required)", SettingFormat.value(new Setting(Instance.PEER_ENDPOINT, "", false)));
    }

    @Test
    void aSecretIsHiddenEvenWhenTheServiceDisplaysIt() {
        assertEquals("(hidden)", SettingFormat.value(new Setting(Instance.LOCAL_PRIVATE_KEY, MODULE_PRIVATE, true)));
        assertEquals("(hidden)", SettingFormat.value(new Setting(Instance.PRESHARED_KEY, PRESHARED, true)));
    }

    @Test
    void listNamesTheParameterThenOneIndentedLineAnInstance() {
        List<String> lines = SettingFormat.list(List.of(
                new Setting(Instance.LOCAL_IP_ADDRESS, "172.16.10.20", true),
                new Setting(Instance.LOCAL_PORT, "", false)));
        assertEquals(List.of("network.wireguard", "  local_ip_address: 172.16.10.20", "  local_port: 0 (default)"),
                lines);
    }
}
