package org.wgkaraf.netif.tun;

/** Linux errno values the TUN device tells apart, and the "EBUSY (Device or resource busy)" form of any errno for messages. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;

    private Errno() {
    }

    static boolean isPrivilege(int errno) {
        return errno == EPERM || errno == EACCES;
    }

    /** "EBUSY (Device or resource busy)"; "errno 95 (...)" for a value without a name here. */
    static String describe(int errno) {
        String text;
        try {
            text = LibC.strerror(errno);
        } catch (LinkageError e) {
            text = null;
        }
        return name(errno) + (text == null ? "" : " (" + text + ")");
    }

    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case 9 -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case 12 -> "ENOMEM";
            case EACCES -> "EACCES";
            case 14 -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 25 -> "ENOTTY";
            case 28 -> "ENOSPC";
            case 90 -> "EMSGSIZE";
            case 95 -> "EOPNOTSUPP";
            case 97 -> "EAFNOSUPPORT";
            case 99 -> "EADDRNOTAVAIL";
            case 105 -> "ENOBUFS";
            default -> "errno " + errno;
        };
    }
}
