package org.wgkaraf.netif.tun;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A Linux TUN interface (layer 3, no packet information header) created in the network namespace
 * of this process and configured through ioctls: IPv4 address, netmask, MTU, up. Reading gives the
 * IPv4 packets the OS sends through the interface; writing hands packets to the OS as if they had
 * arrived on it. The interface exists as long as this device is open.
 *
 * <p>One thread reads; any number write (one at a time). Neither allocates on the Java heap: each
 * direction copies through a native buffer made once. {@link #close()} wakes a blocked reader
 * through an eventfd it polls beside the TUN descriptor, so closing never waits on traffic.
 *
 * <p>Opened with offloads ({@link #offloads()}), the device reads and writes each packet after a
 * {@link VnetHeader}, and the OS hands over TCP super-segments of up to 64 KiB with partial
 * checksums, and takes them (see {@link TsoSplitter} and {@link TcpCoalescer}). A kernel that
 * refuses the offload settings gets a plain device instead ({@link #offloadRefusal()} says why).
 */
public final class TunDevice implements AutoCloseable {
    /** The largest IPv4 packet; the buffers hold any packet the interface can carry. */
    public static final int MAX_PACKET = 65535;
    /** The most one read gives: a packet, after a vnet header when the device has offloads. */
    public static final int MAX_READ = VnetHeader.SIZE + MAX_PACKET;

    private static final Path CLONE_DEVICE = Path.of("/dev/net/tun");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + (Ifreq.NAME_SIZE - 1) + "}");
    private static final long TUNSETIFF = 0x400454caL;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCSIFADDR = 0x8916;
    private static final long SIOCSIFNETMASK = 0x891c;
    private static final long SIOCSIFMTU = 0x8922;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;
    private static final short IFF_UP = 0x1;
    private static final short IFF_RUNNING = 0x40;
    private static final int POLLFD_SIZE = 8;
    private static final int REVENTS = 6;

    private final String name;
    private final int fd;
    private final int wakeFd;
    private final boolean offloads;
    private final String offloadRefusal;
    private final Memory inBuffer = new Memory(MAX_READ);
    private final Memory outBuffer = new Memory(MAX_READ);
    private final Memory pollFds = new Memory(2L * POLLFD_SIZE);
    private final ReentrantLock readLock = new ReentrantLock();
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private TunDevice(String name, int fd, int wakeFd, boolean offloads, String offloadRefusal) {
        this.name = name;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.offloads = offloads;
        this.offloadRefusal = offloadRefusal;
        pollFds.clear();
        pollFds.setInt(0, fd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setInt(POLLFD_SIZE, wakeFd);
        pollFds.setShort(POLLFD_SIZE + 4, LibC.POLLIN);
    }

    /**
     * Creates the interface, gives it {@code address/prefixLength} and {@code mtu}, and brings it up.
     *
     * @param name at most 15 of {@code A-Z a-z 0-9 _ . -}
     * @throws IOException without CAP_NET_ADMIN (the message says how to get it), when the name is
     *                     taken, or on any other refusal (the message names the errno); nothing is
     *                     left behind: no descriptor, no interface
     */
    public static TunDevice open(String name, Inet4Address address, int prefixLength, int mtu) throws IOException {
        return open(name, address, prefixLength, mtu, false);
    }

    /**
     * As {@link #open(String, Inet4Address, int, int)}, with TCP segmentation and checksum offloads
     * when {@code offloads} is true and the kernel accepts them; {@link #offloads()} tells.
     */
    public static TunDevice open(String name, Inet4Address address, int prefixLength, int mtu, boolean offloads) throws IOException {
        return open(name, address, prefixLength, mtu, offloads, true);
    }

    /**
     * As {@link #open(String, Inet4Address, int, int, boolean)}; without {@code tso}, the device
     * has the vnet header (super-segments may be written to it) but the OS hands over plain
     * packets with complete checksums.
     */
    public static TunDevice open(String name, Inet4Address address, int prefixLength, int mtu, boolean offloads, boolean tso)
            throws IOException {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("TUN interface name '" + name + "' is not 1-15 of A-Z a-z 0-9 _ . -");
        }
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0-32");
        }
        if (mtu < 68 || mtu > MAX_PACKET) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside 68-" + MAX_PACKET);
        }
        LibC.check();
        if (offloads) {
            try {
                return openOnce(name, address, prefixLength, mtu, true, tso, null);
            } catch (OffloadRefused e) {
                return openOnce(name, address, prefixLength, mtu, false, false, e.getMessage());
            }
        }
        return openOnce(name, address, prefixLength, mtu, false, false, null);
    }

    /** The kernel refused an offload setting; the device was closed, nothing is left behind. */
    private static final class OffloadRefused extends IOException {
        OffloadRefused(String message) {
            super(message);
        }
    }

    private static TunDevice openOnce(String name, Inet4Address address, int prefixLength, int mtu, boolean offloads, boolean tso,
                                      String offloadRefusal) throws IOException {
        int fd = LibC.open(CLONE_DEVICE.toString(), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw cannotOpenCloneDevice(name, Native.getLastError());
        }
        int sock = -1;
        int wake = -1;
        boolean done = false;
        try (Ifreq ifr = new Ifreq(name)) {
            ifr.flags((short) (IFF_TUN | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0)));
            ioctl(fd, TUNSETIFF, "TUNSETIFF", ifr, name);
            if (!name.equals(ifr.name())) {
                throw new IOException("creating TUN interface " + name + ": the kernel named it " + ifr.name());
            }
            if (offloads) {
                setOffloads(fd, tso ? TUN_F_CSUM | TUN_F_TSO4 : 0);
            }
            sock = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            if (sock < 0) {
                throw failure(name, "socket(AF_INET)", Native.getLastError());
            }
            ioctl(sock, SIOCSIFMTU, "SIOCSIFMTU", ifr.mtu(mtu), name);
            ioctl(sock, SIOCSIFADDR, "SIOCSIFADDR", ifr.inet4(address), name);
            ioctl(sock, SIOCSIFNETMASK, "SIOCSIFNETMASK", ifr.inet4(netmask(prefixLength)), name);
            disableIpv6(name);
            ioctl(sock, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifr.flags((short) 0), name);
            ioctl(sock, SIOCSIFFLAGS, "SIOCSIFFLAGS", ifr.flags((short) (ifr.flags() | IFF_UP | IFF_RUNNING)), name);
            wake = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            if (wake < 0) {
                throw failure(name, "eventfd", Native.getLastError());
            }
            TunDevice device = new TunDevice(name, fd, wake, offloads, offloadRefusal);
            done = true;
            return device;
        } finally {
            if (sock >= 0) {
                LibC.close(sock);
            }
            if (!done) {
                if (wake >= 0) {
                    LibC.close(wake);
                }
                LibC.close(fd); // the last descriptor of a TUN device: the kernel removes the interface
            }
        }
    }

    public String name() {
        return name;
    }

    /** Whether each packet read and written comes after a {@link VnetHeader}, and TCP super-segments pass. */
    public boolean offloads() {
        return offloads;
    }

    /** Why the kernel refused the offloads asked for (this device is plain then); null when none were refused. */
    public String offloadRefusal() {
        return offloadRefusal;
    }

    private static void setOffloads(int fd, int flags) throws OffloadRefused {
        try (Memory size = new Memory(4)) {
            size.setInt(0, VnetHeader.SIZE);
            if (LibC.ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
                throw new OffloadRefused("TUNSETVNETHDRSZ: " + Errno.describe(Native.getLastError()));
            }
        }
        if (LibC.ioctl(fd, TUNSETOFFLOAD, Pointer.createConstant(flags)) < 0) {
            throw new OffloadRefused("TUNSETOFFLOAD: " + Errno.describe(Native.getLastError()));
        }
    }

    /**
     * Reads the next packet the OS sent through the interface, waiting for one. A packet longer
     * than {@code len} is cut to {@code len}. With {@link #offloads()}, the packet comes after its
     * {@link VnetHeader}, and may be a TCP super-segment.
     *
     * @return the packet's length, or -1 once the device is closed
     */
    public int read(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        readLock.lock();
        try {
            while (true) {
                if (closed) {
                    return -1;
                }
                if (LibC.poll(pollFds, 2, -1) < 0) {
                    int errno = Native.getLastError();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw failure(name, "poll", errno);
                }
                if (closed || pollFds.getShort(POLLFD_SIZE + REVENTS) != 0) {
                    return -1;
                }
                short revents = pollFds.getShort(REVENTS);
                if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0 && (revents & LibC.POLLIN) == 0) {
                    throw new IOException("TUN interface " + name + " failed (poll events 0x" + Integer.toHexString(revents & 0xffff) + ")");
                }
                long n = LibC.read(fd, inBuffer, Math.min(len, MAX_READ));
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                        continue;
                    }
                    throw failure(name, "read", errno);
                }
                inBuffer.read(0, buf, off, (int) n);
                return (int) n;
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Hands one IPv4 packet to the OS as if it had arrived on the interface.
     *
     * @throws IOException when the device is closed or the kernel refuses the packet (not IP, interface down)
     */
    public void write(byte[] buf, int off, int len) throws IOException {
        write(VnetHeader.EMPTY, buf, off, len);
    }

    /**
     * Hands one packet to the OS after {@code vnetHeader} ({@link VnetHeader#SIZE} bytes), which
     * a device without {@link #offloads()} ignores: there it must be {@link VnetHeader#EMPTY}.
     */
    void write(byte[] vnetHeader, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > MAX_PACKET) {
            throw new IllegalArgumentException("packet of " + len + " bytes is longer than " + MAX_PACKET);
        }
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("TUN interface " + name + " is closed");
            }
            int at = 0;
            if (offloads) {
                outBuffer.write(0, vnetHeader, 0, VnetHeader.SIZE);
                at = VnetHeader.SIZE;
            }
            outBuffer.write(at, buf, off, len);
            while (LibC.write(fd, outBuffer, at + len) < 0) {
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    throw failure(name, "write", errno);
                }
            }
        }
    }

    /**
     * Removes the interface. A read blocked in another thread returns -1 first; later reads return
     * -1 and writes fail. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Memory one = new Memory(8)) {
            one.setLong(0, 1);
            LibC.write(wakeFd, one, 8); // level-triggered: every later poll sees it too
        }
        readLock.lock();
        try {
            synchronized (writeLock) {
                LibC.close(fd);
                LibC.close(wakeFd);
                inBuffer.close();
                outBuffer.close();
                pollFds.close();
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + (closed ? ", closed" : "") + "]";
    }

    private static void ioctl(int fd, long request, String requestName, Ifreq ifr, String name) throws IOException {
        if (LibC.ioctl(fd, request, ifr.pointer()) < 0) {
            throw failure(name, requestName, Native.getLastError());
        }
    }

    private static Inet4Address netmask(int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        byte[] b = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }

    /**
     * The interface carries IPv4 only. With IPv6 on, the kernel would give it a link-local address
     * and send router solicitations and MLD reports through it, into the tunnel. Done before the
     * interface goes up, so none is sent; a kernel without IPv6 has no such file.
     */
    private static void disableIpv6(String name) throws IOException {
        Path p = Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
        if (Files.exists(p)) {
            try {
                Files.writeString(p, "1");
            } catch (IOException e) {
                throw new IOException("creating TUN interface " + name + ": cannot turn IPv6 off in " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private static IOException cannotOpenCloneDevice(String name, int errno) {
        if (Errno.isPrivilege(errno)) {
            return new IOException("creating TUN interface " + name + " needs access to " + CLONE_DEVICE + " (" + Errno.describe(errno)
                    + ") and CAP_NET_ADMIN: run Karaf as root, or make the device usable (chmod 0666 " + CLONE_DEVICE
                    + ", its usual mode; in a container, pass the device in) and grant the capability: setcap cap_net_admin+ep "
                    + javaExecutable() + "; or use the userspace backend");
        }
        if (errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ENXIO) {
            return new IOException("creating TUN interface " + name + ": " + CLONE_DEVICE + " is missing (" + Errno.describe(errno)
                    + "): load the tun module (modprobe tun), or in a container pass the device in; or use the userspace backend");
        }
        return failure(name, "open " + CLONE_DEVICE, errno);
    }

    private static IOException failure(String name, String call, int errno) {
        if (Errno.isPrivilege(errno)) {
            return new IOException("creating TUN interface " + name + " needs CAP_NET_ADMIN: run Karaf as root, or grant it: setcap cap_net_admin+ep "
                    + javaExecutable() + "; or use the userspace backend");
        }
        if (call.equals("TUNSETIFF") && errno == Errno.EBUSY) {
            return new IOException("cannot create TUN interface " + name + ": another TUN device holds that name (" + call + ": " + Errno.describe(errno) + ")");
        }
        if (call.equals("TUNSETIFF") && errno == Errno.EINVAL && Files.exists(Path.of("/sys/class/net", name))) {
            return new IOException("cannot create TUN interface " + name + ": an interface of another kind has that name (" + call + ": "
                    + Errno.describe(errno) + ")");
        }
        return new IOException("TUN interface " + name + ": " + call + " failed: " + Errno.describe(errno));
    }

    /** The java binary itself (setcap refuses symbolic links). */
    private static String javaExecutable() {
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        try {
            return java.toRealPath().toString();
        } catch (IOException e) {
            return java.toString();
        }
    }
}
