package org.wgkaraf.netif.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.interop.Prerequisites;
import org.wgkaraf.testsupport.interop.RunNames;
import org.wgkaraf.testsupport.interop.Shell;
import org.wgkaraf.testsupport.interop.Subnets;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * A real TUN interface in the root namespace (needs root and /dev/net/tun): its configuration as
 * the OS sees it, packets both ways through the kernel, allocation, close, name clashes and the
 * messages without privilege.
 */
class TunDeviceIT {
    private static final int PREFIX = 24;
    private static final int MTU = 1420;
    private static final int PAYLOAD = 56;
    private static final Duration REPLY = Duration.ofSeconds(5);

    private final List<String> names = new ArrayList<>();
    private final List<TunDevice> devices = new ArrayList<>();
    private int subnet;
    private Inet4Address address;
    private Inet4Address peer;
    private byte[] addressBytes;
    private byte[] peerBytes;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.checkTun("ip", "setpriv");
    }

    @BeforeEach
    void setUp() {
        subnet = Subnets.allocate();
        address = PacketBuilder.ipv4(Subnets.inner(subnet, 1));
        peer = PacketBuilder.ipv4(Subnets.inner(subnet, 2));
        addressBytes = address.getAddress();
        peerBytes = peer.getAddress();
    }

    @AfterEach
    void tearDown() {
        devices.forEach(TunDevice::close);
        names.forEach(RootLinks::removeQuietly);
        Subnets.release(subnet);
        names.forEach(RootLinks::assertGone);
    }

    private String newName() {
        String name = RunNames.nextLabPrefix() + "t";
        names.add(name);
        return name;
    }

    private TunDevice open(String name) throws IOException {
        TunDevice d = TunDevice.open(name, address, PREFIX, MTU);
        devices.add(d);
        return d;
    }

    @Test
    void openedInterfaceHasAddressNetmaskMtuAndIsUp() throws IOException {
        String name = newName();
        TunDevice device = open(name);

        assertEquals(name, device.name());
        String json = Shell.run("ip", "-j", "addr", "show", "dev", name).stdout();
        assertTrue(json.contains("\"ifname\":\"" + name + "\""), json);
        assertTrue(json.contains("\"mtu\":" + MTU + ","), "MTU " + MTU + ": " + json);
        assertTrue(Pattern.compile("\"flags\":\\[[^\\]]*\"UP\"").matcher(json).find(), "flag UP: " + json);
        assertTrue(json.contains("\"local\":\"" + address.getHostAddress() + "\",\"prefixlen\":" + PREFIX), "address/prefix: " + json);
        assertTrue(json.contains("\"link_type\":\"none\""), "a layer-3 (TUN) interface: " + json);
        assertFalse(json.contains("\"family\":\"inet6\""), "no IPv6 address on an IPv4-only interface: " + json);
        String route = Shell.run("ip", "-4", "route", "show", "dev", name).stdout();
        assertTrue(route.contains("10.214." + subnet + ".0/24"), "the connected route of the netmask: " + route);
    }

    @Test
    void kernelAnswersAnEchoRequestWrittenToTheDevice() throws IOException {
        TunDevice device = open(newName());
        byte[] out = new byte[2048];
        byte[] in = new byte[2048];
        int len = EchoPackets.request(out, peer.getAddress(), address.getAddress(), 0x5a5a, 1, PAYLOAD);

        device.write(out, 0, len);

        assertTrue(awaitReply(device, in, 0x5a5a, 1), "the kernel's echo reply to " + peer.getHostAddress() + " came out of the device");
    }

    /** Reads until the reply to (id, seq) comes; other packets are skipped. Runs on the calling thread. */
    private boolean awaitReply(TunDevice device, byte[] in, int id, int seq) throws IOException {
        long deadline = System.nanoTime() + REPLY.toNanos();
        while (System.nanoTime() - deadline < 0) {
            int n = device.read(in, 0, in.length);
            if (n < 0) {
                return false;
            }
            if (EchoPackets.isReply(in, n, addressBytes, peerBytes, id, seq, PAYLOAD)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void roundTripsThroughTheKernelAllocateNothingInSteadyState() throws IOException {
        TunDevice device = open(newName());
        byte[] out = new byte[2048];
        byte[] in = new byte[2048];
        byte[] src = peerBytes;
        byte[] dst = addressBytes;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int id = 0x7e57;
        int seq = 0;
        for (int i = 0; i < 20_000; i++) { // warm-up: compile the path
            seq = (seq + 1) & 0xffff;
            device.write(out, 0, EchoPackets.request(out, src, dst, id, seq, PAYLOAD));
            assertTrue(awaitReply(device, in, id, seq), "reply " + seq);
        }
        int rounds = 10_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        boolean allAnswered = true;
        for (int i = 0; i < rounds; i++) {
            seq = (seq + 1) & 0xffff;
            device.write(out, 0, EchoPackets.request(out, src, dst, id, seq, PAYLOAD));
            allAnswered &= awaitReply(device, in, id, seq);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.printf("TUN device: %d write/read round trips through the kernel allocated %d bytes%n", rounds, allocated);
        assertTrue(allAnswered, "every request was answered");
        // A fixed budget for the measurement itself, far below one object per round trip.
        assertTrue(allocated <= 4096, rounds + " write/read round trips allocated " + allocated + " bytes");
    }

    @Test
    void closeReturnsABlockedReadAndRemovesTheInterface() throws Exception {
        String name = newName();
        TunDevice device = open(name);
        CountDownLatch reading = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[2048];
            reading.countDown();
            try {
                result.set(device.read(buf, 0, buf.length)); // nothing is routed here: it blocks
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "tun-test-reader");
        reader.start();
        reading.await();
        Await.until("the reader is inside read()", Duration.ofSeconds(5), () -> inRead(reader));

        long start = System.nanoTime();
        device.close();
        reader.join(Duration.ofSeconds(5).toMillis());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertFalse(reader.isAlive(), "the blocked read returned after close");
        assertEquals(null, failure.get());
        assertEquals(-1, result.get(), "a read ended by close returns -1");
        assertTrue(millis < 2000, "close and the reader's return took " + millis + " ms");
        assertFalse(RootLinks.exists(name), "the interface is gone when close returns");
        assertEquals(-1, device.read(new byte[10], 0, 10), "reads after close return -1");
        IOException e = assertThrows(IOException.class, () -> device.write(new byte[28], 0, 28));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /** The thread's stack shows it in TunDevice.read (past the lock, in poll or about to be). */
    private static boolean inRead(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(LibC.class.getName()) && e.getMethodName().equals("poll")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void openingATakenNameFailsAndLeavesTheFirstDeviceWorking() throws IOException {
        String name = newName();
        TunDevice first = open(name);

        IOException e = assertThrows(IOException.class, () -> open(name));

        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("EBUSY"), e.getMessage());
        byte[] out = new byte[2048];
        byte[] in = new byte[2048];
        first.write(out, 0, EchoPackets.request(out, peer.getAddress(), address.getAddress(), 0x1234, 7, PAYLOAD));
        assertTrue(awaitReply(first, in, 0x1234, 7), "the first device still carries packets");
        first.close();
        RootLinks.assertGone(name);
    }

    @Test
    void openingTheNameOfAnotherKindOfInterfaceFailsSayingSo() throws IOException {
        String name = newName();
        Shell.run("ip", "link", "add", name, "type", "bridge");

        IOException e = assertThrows(IOException.class, () -> open(name));

        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("another kind"), e.getMessage());
        String link = Shell.run("ip", "-d", "link", "show", name).stdout();
        assertTrue(link.contains("bridge"), "the other interface is untouched: " + link);
    }

    @Test
    void withoutCapNetAdminOpeningFailsSayingHowToGetItAndLeavesNothing() throws Exception {
        String name = newName();
        // Root, but CAP_NET_ADMIN gone from the bounding set: java starts without it.
        List<String> argv = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-net_admin", "--"));
        argv.addAll(probe(classPath(false), name));

        String out = Shell.cmd(argv).timeout(Duration.ofSeconds(60)).run().stdout().strip();

        assertEquals("FAILED: creating TUN interface " + name + " needs CAP_NET_ADMIN: run Karaf as root, or grant it: setcap cap_net_admin+ep "
                + javaExecutable() + "; or use the userspace backend", out);
        assertFalse(RootLinks.exists(name), "no interface is left");
    }

    @Test
    void asAnUnprivilegedUserOpeningFailsSayingWhatIsMissingAndLeavesNothing() throws Exception {
        String name = newName();
        Path dir = Files.createTempDirectory(name);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--"));
            argv.addAll(probe(classPath(true, dir), name));

            String out = Shell.cmd(argv).timeout(Duration.ofSeconds(60)).run().stdout().strip();

            assertTrue(out.startsWith("FAILED: creating TUN interface " + name + " needs "), out);
            assertTrue(out.contains("CAP_NET_ADMIN") && out.contains("run Karaf as root") && out.contains("setcap cap_net_admin+ep " + javaExecutable())
                    && out.endsWith("or use the userspace backend"), out);
            if (!Files.isReadable(Path.of("/dev/net/tun")) || !"rw-rw-rw-".equals(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/net/tun"))))) {
                assertTrue(out.contains("/dev/net/tun") && out.contains("EACCES"), "a device only root may open is named: " + out);
            }
            assertFalse(RootLinks.exists(name), "no interface is left");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private List<String> probe(String classPath, String name) {
        return List.of(javaExecutable(), "-Djna.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", classPath,
                TunOpenProbe.class.getName(), name, address.getHostAddress(), String.valueOf(PREFIX));
    }

    private static String classPath(boolean copyJars, Path... into) throws IOException, URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (Class<?> c : List.of(TunDevice.class, TunOpenProbe.class, com.sun.jna.Native.class)) {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (copyJars && Files.isRegularFile(p)) {
                // The local Maven repository is often readable by its owner only.
                Path copy = into[0].resolve(p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                p = copy;
            } else if (copyJars && Files.isDirectory(p)) {
                // A class folder (target/test-classes) may sit in a checkout only its owner can read.
                p = copyClassFiles(c, p, into[0].resolve("classes-" + c.getSimpleName()));
            }
            entries.add(p.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Copies the class files of {@code c} (nested classes included) into a world-readable folder. */
    private static Path copyClassFiles(Class<?> c, Path root, Path target) throws IOException {
        String pkg = c.getPackageName().replace('.', '/');
        Path from = root.resolve(pkg);
        Path to = target.resolve(pkg);
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(c.getSimpleName())
                    && f.getFileName().toString().endsWith(".class"))::iterator) {
                Path copy = to.resolve(f.getFileName());
                Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        for (Path d = to; d.startsWith(target); d = d.getParent()) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return target;
    }

    private static String javaExecutable() {
        Path java = ProcessHandle.current().info().command().map(Path::of).orElseThrow();
        try {
            return java.toRealPath().toString();
        } catch (IOException e) {
            fail("cannot resolve " + java + ": " + e);
            return null;
        }
    }
}
