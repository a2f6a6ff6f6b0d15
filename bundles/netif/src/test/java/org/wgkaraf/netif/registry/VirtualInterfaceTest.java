package org.wgkaraf.netif.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.netif.registry.FakeHostProbe.ip;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetifRegistry.Backend;
import org.wgkaraf.api.netif.Route;
import org.wgkaraf.api.netif.VirtualNetif;

/** Registering virtual interfaces (tunnels): numbering, validation, the backend, link state and closing. */
class VirtualInterfaceTest {
    private static final PacketSink TO_TUNNEL = (packet, offset, length) -> { };

    private final FakeHostProbe host = new FakeHostProbe();
    private final FakeBackend userspace = new FakeBackend();
    private final FakeBackend tun = new FakeBackend();
    private NetifRegistryService registry;

    @BeforeEach
    void start() {
        host.up("st", 2, "192.168.1.12").up("ap", 3, "192.168.4.1");
        registry = new NetifRegistryService(host, NetifRegistryServiceTest.NEVER,
                Map.of(Backend.USERSPACE, userspace, Backend.TUN, tun));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private VirtualNetif wg(String address, String netmask) throws IOException {
        return registry.register("wg", ip(address), ip(netmask), Backend.USERSPACE, TO_TUNNEL);
    }

    private List<String> names() {
        return registry.interfaces().stream().map(i -> i.number() + ":" + i.name()).collect(Collectors.toList());
    }

    @Test
    void aVirtualInterfaceIsNumberedAfterEverySeenInterfaceAndNamedByItsNumber() throws IOException {
        VirtualNetif wg = wg("172.16.10.20", "255.255.255.0");

        NetifInfo expected = new NetifInfo(3, "wg3", NetifInfo.Kind.VIRTUAL, true, false, ip("172.16.10.20"),
                ip("255.255.255.0"), ip("0.0.0.0"));
        assertEquals(expected, wg.info());
        assertEquals(List.of("3:wg3", "2:ap", "1:st"), names());
        assertEquals(expected, registry.interfaces().get(0));
    }

    @Test
    void theBackendIsAttachedWithTheInterfaceAndTheSinkToTheTunnel() throws IOException {
        VirtualNetif wg = registry.register("tun", ip("10.214.1.2"), ip("255.255.255.0"), Backend.TUN, TO_TUNNEL);

        assertEquals(List.of(), userspace.attachments);
        assertEquals(1, tun.attachments.size());
        assertEquals(wg.info(), tun.attachments.get(0).info);
        assertSame(TO_TUNNEL, tun.attachments.get(0).toTunnel);
    }

    @Test
    void hostInterfacesSeenAfterATunnelAreNumberedAfterIt() throws IOException {
        wg("172.16.10.20", "255.255.255.0");

        host.up("ppp", 4, "100.64.0.9");
        registry.refresh();

        assertEquals(List.of("4:ppp", "3:wg3", "2:ap", "1:st"), names());
    }

    @Test
    void receivedPacketsGoToTheBackend() throws IOException {
        VirtualNetif wg = wg("172.16.10.20", "255.255.255.0");
        byte[] buffer = {9, 9, 1, 2, 3, 9};

        wg.receive(buffer, 2, 3);

        assertEquals(1, userspace.attachments.get(0).input.size());
        assertArrayEquals(new byte[] {1, 2, 3}, userspace.attachments.get(0).input.get(0));
    }

    @Test
    void linkUpIsShownAndToldToTheBackend() throws IOException {
        VirtualNetif wg = wg("172.16.10.20", "255.255.255.0");
        FakeBackend.Recording attachment = userspace.attachments.get(0);

        wg.setLinkUp(true);
        assertTrue(wg.info().linkup());
        assertTrue(registry.interfaces().get(0).linkup());

        wg.setLinkUp(false);
        assertEquals(false, wg.info().linkup());
        assertEquals(false, registry.interfaces().get(0).linkup());
        assertEquals(List.of(true, false), attachment.linkStates);
    }

    @Test
    void closeUnregistersAndDetachesOnce() throws IOException {
        VirtualNetif wg = wg("172.16.10.20", "255.255.255.0");
        FakeBackend.Recording attachment = userspace.attachments.get(0);

        wg.close();
        wg.close();
        wg.receive(new byte[] {1}, 0, 1);
        wg.setLinkUp(true);

        assertEquals(List.of("2:ap", "1:st"), names());
        assertEquals(1, attachment.closes);
        assertEquals(List.of(), attachment.input, "nothing reaches a closed interface");
        assertEquals(List.of(), attachment.linkStates);
    }

    @Test
    void aTunnelRebuiltGetsItsNumberBackSoItKeepsItsName() throws IOException {
        wg("172.16.10.20", "255.255.255.0").close();
        host.up("wlan", 7, "192.168.7.2");
        registry.refresh();

        assertEquals("wg3", wg("172.16.11.20", "255.255.255.0").info().name(), "the prefix's number, free again");
        assertEquals(List.of("4:wlan", "3:wg3", "2:ap", "1:st"), names(), "a host interface never takes it");
    }

    @Test
    void aNumberStillHeldIsNotGivenTwice() throws IOException {
        VirtualNetif first = wg("172.16.10.20", "255.255.255.0");
        VirtualNetif second = wg("172.16.11.20", "255.255.255.0");
        first.close();

        assertEquals("wg4", second.info().name());
        assertEquals("wg5", wg("172.16.12.20", "255.255.255.0").info().name(), "wg4, the prefix's last, is in use");
    }

    @Test
    void closingTheRegistryDetachesItsVirtualInterfaces() throws IOException {
        wg("172.16.10.20", "255.255.255.0");

        registry.close();

        assertEquals(1, userspace.attachments.get(0).closes);
        assertThrows(IllegalStateException.class, () -> wg("172.16.11.20", "255.255.255.0"));
    }

    @Test
    void aBackendThatFailsLeavesNothingRegisteredAndTheNumberFree() {
        tun.refuseWith(new IOException("TUN needs CAP_NET_ADMIN"));

        IOException e = assertThrows(IOException.class,
                () -> registry.register("wg", ip("172.16.10.20"), ip("255.255.255.0"), Backend.TUN, TO_TUNNEL));

        assertEquals("TUN needs CAP_NET_ADMIN", e.getMessage());
        assertEquals(List.of("2:ap", "1:st"), names());
        assertEquals(new Route.Host(), registry.route(ip("172.16.10.1")));
        host.up("ppp", 4, "100.64.0.9");
        registry.refresh();
        assertEquals(List.of("3:ppp", "2:ap", "1:st"), names());
    }

    @Test
    void aMissingBackendIsAnIoErrorNamingIt() {
        NetifRegistryService bare = new NetifRegistryService(host, NetifRegistryServiceTest.NEVER, Map.of());
        try {
            IOException e = assertThrows(IOException.class,
                    () -> bare.register("wg", ip("172.16.10.20"), ip("255.255.255.0"), Backend.TUN, TO_TUNNEL));
            assertTrue(e.getMessage().contains("no TUN backend"), e.getMessage());
            assertEquals(2, bare.interfaces().size());
        } finally {
            bare.close();
        }
    }

    @Test
    void aBackendGivenAsAServiceIsUsedForTheKindItsPropertyNames() throws IOException {
        NetifRegistryService bare = new NetifRegistryService(host, NetifRegistryServiceTest.NEVER, Map.of());
        try {
            FakeBackend service = new FakeBackend();
            bare.addBackend(service, Map.of(NetifRegistryService.BACKEND_PROPERTY, "TUN"));
            bare.register("wg", ip("172.16.10.20"), ip("255.255.255.0"), Backend.TUN, TO_TUNNEL);
            assertEquals(1, service.attachments.size());

            bare.removeBackend(service, Map.of(NetifRegistryService.BACKEND_PROPERTY, "TUN"));
            assertThrows(IOException.class,
                    () -> bare.register("wg", ip("172.16.11.20"), ip("255.255.255.0"), Backend.TUN, TO_TUNNEL));
        } finally {
            bare.close();
        }
    }

    @Test
    void aNonContiguousNetmaskIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wg("172.16.10.20", "255.0.255.0"));

        assertTrue(e.getMessage().contains("netmask 255.0.255.0 is not contiguous"), e.getMessage());
        assertEquals(List.of(), userspace.attachments);
        assertEquals(2, registry.interfaces().size());
    }

    @Test
    void theAddressZeroIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wg("0.0.0.0", "255.255.255.0"));

        assertTrue(e.getMessage().contains("0.0.0.0 cannot be an interface's address"), e.getMessage());
        assertEquals(List.of(), userspace.attachments);
    }

    @Test
    void anEmptyNamePrefixIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> registry.register(" ", ip("172.16.10.20"), ip("255.255.255.0"), Backend.USERSPACE, TO_TUNNEL));
        assertEquals(List.of(), userspace.attachments);
    }
}
