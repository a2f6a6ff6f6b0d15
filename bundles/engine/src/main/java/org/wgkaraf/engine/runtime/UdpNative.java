package org.wgkaraf.engine.runtime;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Set;

/**
 * The C library calls that send a burst of datagrams in one system call (UDP segmentation
 * offload, see {@link UdpGso}), bound by JNA direct mapping: a call costs a native transition and
 * no Java object. Sizes are {@code long} ({@code ssize_t}) and the constants are those of the
 * kernel's generic ABI, so the binding is right on 64-bit Linux on x86-64, aarch64 and riscv64
 * only; {@link #UNAVAILABLE} says why not elsewhere, and the tunnel then sends one datagram per
 * call, as the JDK does. After a call returns -1, {@link Native#getLastError()} holds its errno.
 */
final class UdpNative {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3;
    static final int SO_PROTOCOL = 38;
    static final int SOCK_DGRAM = 2;
    static final int IPPROTO_UDP = 17;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int MSG_DONTWAIT = 0x40;
    static final int EAGAIN = 11;
    static final int EIO = 5;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EOPNOTSUPP = 95;

    /** Why the calls are not bound, or null when they are. */
    static final String UNAVAILABLE;

    static {
        String problem = null;
        if (!Platform.isLinux() || !Platform.is64Bit() || !Set.of("x86-64", "aarch64", "riscv64").contains(Platform.ARCH)) {
            problem = "UDP segmentation offload is used on 64-bit Linux on x86-64, aarch64 or riscv64 only (this is "
                    + System.getProperty("os.name") + " " + Platform.ARCH + ")";
        } else {
            try {
                Native.register(UdpNative.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            } catch (LinkageError e) {
                problem = "the C library is not reachable through JNA: " + e.getMessage();
            }
        }
        UNAVAILABLE = problem;
    }

    private UdpNative() {
    }

    static native long sendmsg(int fd, Pointer msg, int flags);

    static native int getsockname(int fd, Pointer addr, Pointer addrLen);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer valueLen);

    static native String strerror(int errno);
}
