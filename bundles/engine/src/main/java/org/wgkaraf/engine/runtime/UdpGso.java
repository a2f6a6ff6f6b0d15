package org.wgkaraf.engine.runtime;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends a burst of equal-sized datagrams to one destination in one system call: {@code sendmsg}
 * with a {@code UDP_SEGMENT} control message (UDP generic segmentation offload, Linux 4.18 and
 * later). The kernel cuts the buffer into datagrams of the segment size (the last may be shorter),
 * each with its own UDP and IP header, and does the per-datagram work of its stack once for the
 * burst; over veth and loopback the burst even travels as one buffer to the receiving socket.
 *
 * <p>It sends on the descriptor of the tunnel's {@code DatagramChannel}, whose datagrams it must
 * share (same port, same socket: a peer sees one endpoint). The JDK does not hand out a channel's
 * descriptor, so {@link #find} looks for it among the process's open descriptors: the one UDP
 * socket bound to the channel's port on the wildcard address. Two UDP sockets cannot hold the same
 * wildcard port without {@code SO_REUSEADDR} or {@code SO_REUSEPORT}, which the tunnel's channel
 * does not set, so at most one descriptor qualifies while the channel is open; when more than one
 * does, {@link #find} refuses. The descriptor stays the channel's for as long as the channel is
 * open (the JDK closes it only after every thread in a call on the channel has left): callers
 * check {@code isOpen()} under the lock that serialises closing and sending.
 *
 * <p>The kernel refuses the offload on some paths (no checksum offload on the egress device,
 * {@code EIO}; a segment larger than the path MTU, {@code EINVAL}; an old kernel,
 * {@code ENOPROTOOPT}): {@link #refused} tells such an error from a failed send, and the caller
 * then sends one datagram per call on this socket.
 *
 * <p>Not thread-safe: one instance per socket, used under the engine lock. Nothing is allocated
 * per burst once the destination's address is written.
 */
final class UdpGso {
    /** The most segments the kernel takes in one send ({@code UDP_MAX_SEGMENTS}). */
    static final int MAX_SEGMENTS = 64;
    /** The most bytes of payload one send may carry: an IPv4 packet's 65535, less its IP and UDP headers. */
    static final int MAX_BYTES = 65535 - 20 - 8;

    private static final Path OPEN_DESCRIPTORS = Path.of("/proc/self/fd");
    private static final int MSGHDR_SIZE = 56;
    private static final int IOVEC_SIZE = 16;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;
    /** CMSG_LEN(2): the 16-byte cmsghdr and the 2-byte segment size. */
    private static final int CMSG_LEN = 18;
    /** CMSG_SPACE(2): the same, padded to 8 bytes. */
    private static final int CMSG_SPACE = 24;

    private final int fd;
    private final int family;
    private final Memory msg = new Memory(MSGHDR_SIZE);
    private final Memory iov = new Memory(IOVEC_SIZE);
    private final Memory name = new Memory(SOCKADDR_IN6_SIZE);
    private final Memory control = new Memory(CMSG_SPACE);
    private ByteBuffer lastBuffer;
    private Pointer lastBufferAddress;
    private InetSocketAddress lastTo;

    private UdpGso(int fd, int family) {
        this.fd = fd;
        this.family = family;
        msg.clear();
        iov.clear();
        control.clear();
        msg.setPointer(0, name);
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, CMSG_SPACE);
        control.setLong(0, CMSG_LEN);
        control.setInt(8, UdpNative.SOL_UDP);
        control.setInt(12, UdpNative.UDP_SEGMENT);
    }

    /**
     * The offload on the UDP socket bound to {@code port} on the wildcard address.
     *
     * @throws IOException why it cannot be used: natives not bound, no such socket, or more than one
     */
    static UdpGso find(int port) throws IOException {
        if (UdpNative.UNAVAILABLE != null) {
            throw new IOException(UdpNative.UNAVAILABLE);
        }
        Memory address = new Memory(SOCKADDR_IN6_SIZE);
        Memory length = new Memory(4);
        int found = -1;
        int foundFamily = 0;
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(OPEN_DESCRIPTORS)) {
            for (Path p : descriptors) {
                int fd = descriptor(p);
                if (fd < 0 || !isUdp(fd, length)) {
                    continue;
                }
                address.clear();
                length.setInt(0, SOCKADDR_IN6_SIZE);
                if (UdpNative.getsockname(fd, address, length) != 0) {
                    continue;
                }
                int f = address.getShort(0);
                int boundPort = ((address.getByte(2) & 0xff) << 8) | (address.getByte(3) & 0xff);
                if (boundPort != port || !wildcard(address, f)) {
                    continue;
                }
                if (found >= 0) {
                    throw new IOException("more than one UDP socket of this process is bound to port " + port);
                }
                found = fd;
                foundFamily = f;
            }
        }
        if (found < 0) {
            throw new IOException("no UDP socket of this process is bound to port " + port);
        }
        return new UdpGso(found, foundFamily);
    }

    /** The descriptor a /proc/self/fd entry names, if it is a socket; -1 otherwise. */
    private static int descriptor(Path entry) {
        try {
            int fd = Integer.parseInt(entry.getFileName().toString());
            return Files.readSymbolicLink(entry).toString().startsWith("socket:") ? fd : -1;
        } catch (NumberFormatException | IOException e) {
            return -1; // not a descriptor, or closed since the listing
        }
    }

    private static boolean isUdp(int fd, Memory length) {
        return intOption(fd, UdpNative.SO_TYPE, length) == UdpNative.SOCK_DGRAM
                && intOption(fd, UdpNative.SO_PROTOCOL, length) == UdpNative.IPPROTO_UDP;
    }

    private static int intOption(int fd, int option, Memory length) {
        Memory value = new Memory(4);
        length.setInt(0, 4);
        return UdpNative.getsockopt(fd, UdpNative.SOL_SOCKET, option, value, length) == 0 ? value.getInt(0) : -1;
    }

    private static boolean wildcard(Memory address, int family) {
        int from;
        int to;
        if (family == UdpNative.AF_INET) {
            from = 4;
            to = 8;
        } else if (family == UdpNative.AF_INET6) {
            from = 8;
            to = 24;
        } else {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (address.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The descriptor in use (tests). */
    int descriptor() {
        return fd;
    }

    /**
     * Sends {@code buffer[0, length)} to {@code to} as datagrams of {@code segmentSize} bytes (the
     * last may be shorter). Returns 0 when the kernel took them, or the errno of the refusal.
     *
     * @param buffer a direct buffer
     */
    int send(ByteBuffer buffer, int length, int segmentSize, InetSocketAddress to) {
        if (buffer != lastBuffer) {
            lastBufferAddress = Native.getDirectBufferPointer(buffer);
            lastBuffer = buffer;
        }
        if (to != lastTo) {
            if (!writeName(to)) {
                return UdpNative.EINVAL;
            }
            lastTo = to;
        }
        iov.setPointer(0, lastBufferAddress);
        iov.setLong(8, length);
        control.setShort(16, (short) segmentSize);
        long sent = UdpNative.sendmsg(fd, msg, UdpNative.MSG_DONTWAIT);
        return sent >= 0 ? 0 : Native.getLastError();
    }

    /** Writes the destination's socket address in this socket's family; false when it has none (IPv6 on an IPv4 socket). */
    private boolean writeName(InetSocketAddress to) {
        byte[] ip = to.getAddress().getAddress();
        name.clear();
        name.setShort(0, (short) family);
        name.setByte(2, (byte) (to.getPort() >>> 8));
        name.setByte(3, (byte) to.getPort());
        if (family == UdpNative.AF_INET) {
            if (!(to.getAddress() instanceof Inet4Address)) {
                return false;
            }
            name.write(4, ip, 0, 4);
            msg.setInt(8, SOCKADDR_IN_SIZE);
        } else if (to.getAddress() instanceof Inet4Address) {
            name.setByte(18, (byte) 0xff); // ::ffff:a.b.c.d, an IPv4 address on a dual-stack socket
            name.setByte(19, (byte) 0xff);
            name.write(20, ip, 0, 4);
            msg.setInt(8, SOCKADDR_IN6_SIZE);
        } else {
            name.write(8, ip, 0, 16);
            name.setInt(24, ((Inet6Address) to.getAddress()).getScopeId());
            msg.setInt(8, SOCKADDR_IN6_SIZE);
        }
        return true;
    }

    /** Whether {@code errno} refuses the offload (the datagrams may go one per call) rather than the send. */
    static boolean refused(int errno) {
        return errno == UdpNative.EIO || errno == UdpNative.EINVAL || errno == UdpNative.EMSGSIZE
                || errno == UdpNative.ENOPROTOOPT || errno == UdpNative.EOPNOTSUPP;
    }

    static String describe(int errno) {
        String text;
        try {
            text = UdpNative.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return (text == null ? "error" : text) + " (errno " + errno + ")";
    }
}
