package org.wgkaraf.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PortSettingTest {
    private final String logger = "port-setting-test-" + System.nanoTime();
    private final PortSetting ssh = new PortSetting("ssh_port", 22, "the SSH bridge", LoggerFactory.getLogger(logger));

    @Test
    void valuesArriveAsStringsOrIntegerTypes() {
        assertEquals(2222, ssh.update(Map.of("ssh_port", "2222")));
        assertEquals(2200, ssh.update(Map.of("ssh_port", 2200)));
        assertEquals(2300, ssh.update(Map.of("ssh_port", 2300L)));
        assertEquals(2400, ssh.update(Map.of("ssh_port", (short) 2400)));
        assertEquals(65535, ssh.update(Map.of("ssh_port", " 65535 ")));
        assertEquals(0, ssh.update(Map.of("ssh_port", "0")));
    }

    @Test
    void anUnsetKeyRestoresTheDefault() {
        ssh.update(Map.of("ssh_port", "2222"));
        assertEquals(22, ssh.update(Map.of("local_port", "11010")));
        assertEquals(22, ssh.update(null));
    }

    @Test
    void invalidValuesKeepThePreviousPortWithOneWarningEach() throws Exception {
        ssh.update(Map.of("ssh_port", "2222"));
        List<Object> bad = List.of("abc", "", "65536", -1, 70000L, 22.0, true, new String[] {"22"});
        for (Object value : bad) {
            Map<String, Object> props = new HashMap<>();
            props.put("ssh_port", value);
            assertEquals(2222, ssh.update(props), String.valueOf(value));
            props.put("persistent_keepalive", "25");
            assertEquals(2222, ssh.update(props), "again with another key changed");
        }

        List<String> lines = LogFile.linesWith(logger);
        assertEquals(bad.size(), lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().allMatch(l -> l.contains("WARN") && l.contains("ssh_port")
                && l.contains("the SSH bridge stays on port 2222")), String.join("\n", lines));
        assertTrue(lines.get(0).contains("'abc': is not a number"), lines.get(0));
        assertTrue(lines.get(1).contains("is empty"), lines.get(1));
        assertTrue(lines.get(2).contains("'65536': is outside 0-65535"), lines.get(2));
        assertTrue(lines.get(5).contains("is a Double"), lines.get(5));
    }

    @Test
    void theSameInvalidValueWarnsAgainAfterAValidOne() throws Exception {
        ssh.update(Map.of("ssh_port", "x"));
        ssh.update(Map.of("ssh_port", "23"));
        ssh.update(Map.of("ssh_port", "x"));

        List<String> lines = LogFile.linesWith(logger);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("stays on port 22"), lines.get(0));
        assertTrue(lines.get(1).contains("stays on port 23"), lines.get(1));
    }

    @Test
    void offIsSaidAsOff() throws Exception {
        PortSetting socks = new PortSetting("socks_port", 0, "the SOCKS5 proxy", LoggerFactory.getLogger(logger));
        socks.update(Map.of("socks_port", "1080x"));

        List<String> lines = LogFile.linesWith(logger);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("the SOCKS5 proxy stays off"), lines.get(0));
    }
}
