package org.wgkaraf.netif.tun;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Set;

/**
 * The few C library calls the TUN device needs, bound by JNA direct mapping: a call costs a native
 * transition and no Java object, which keeps the per-packet path free of allocation. Sizes are
 * {@code long} ({@code size_t}, {@code ssize_t}, {@code nfds_t}, the ioctl request) and the flag and
 * ioctl values are those of the kernel's generic ABI, so this binding is right on 64-bit Linux on
 * x86-64, aarch64 and riscv64 only; {@link #check()} refuses anything else.
 * After a call returns -1, {@link Native#getLastError()} holds its errno.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    private static final String UNAVAILABLE;

    static {
        String problem = null;
        if (!Platform.isLinux() || !Platform.is64Bit() || !Set.of("x86-64", "aarch64", "riscv64").contains(Platform.ARCH)) {
            problem = "the TUN backend runs on 64-bit Linux on x86-64, aarch64 or riscv64 only (this is "
                    + System.getProperty("os.name") + " " + Platform.ARCH + "): use the userspace backend";
        } else {
            try {
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            } catch (LinkageError e) {
                problem = "the TUN backend cannot reach the C library through JNA: " + e.getMessage();
            }
        }
        UNAVAILABLE = problem;
    }

    private LibC() {
    }

    /** Throws when the natives are not bound (another OS, 32 bits, JNA without its native part). */
    static void check() throws IOException {
        if (UNAVAILABLE != null) {
            throw new IOException(UNAVAILABLE);
        }
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer arg);

    static native int socket(int domain, int type, int protocol);

    static native int eventfd(int initialValue, int flags);

    static native int poll(Pointer fds, long count, int timeoutMillis);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native String strerror(int errno);
}
