package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** Arguments {@link TunDevice#open} refuses before it touches the OS. */
class TunDeviceTest {
    private static final Inet4Address ADDRESS = PacketBuilder.ipv4("10.214.0.1");

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"", "wgkt-sixteen-chr", "wg 3", "wg/3", "wg:3", "wg%d", ".", ".."})
    void refusesANameLinuxWouldNotTakeAsIs(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunDevice.open(name, ADDRESS, 24, 1420));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @ParameterizedTest(name = "prefix length {0}")
    @ValueSource(ints = {-1, 33})
    void refusesAPrefixLengthOutside0To32(int prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunDevice.open("wgkt0", ADDRESS, prefix, 1420));
        assertTrue(e.getMessage().contains(String.valueOf(prefix)), e.getMessage());
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {67, 65536})
    void refusesAnMtuIpv4CannotUse(int mtu) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunDevice.open("wgkt0", ADDRESS, 24, mtu));
        assertTrue(e.getMessage().contains(String.valueOf(mtu)), e.getMessage());
    }

    @Test
    void refusesNoAddress() {
        assertThrows(NullPointerException.class, () -> TunDevice.open("wgkt0", null, 24, 1420));
    }
}
