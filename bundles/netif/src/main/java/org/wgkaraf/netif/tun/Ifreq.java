package org.wgkaraf.netif.tun;

import com.sun.jna.Memory;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} in native memory, the argument of the interface ioctls: the interface name
 * in 16 bytes, then a union of 24 bytes (40 in all on 64-bit Linux) read as flags, an MTU or a
 * {@code struct sockaddr_in}. Used while an interface is set up, never per packet.
 */
final class Ifreq implements AutoCloseable {
    /** IFNAMSIZ, with the terminating zero. */
    static final int NAME_SIZE = 16;
    private static final int SIZE = 40;
    private static final int UNION = NAME_SIZE;

    private final Memory memory = new Memory(SIZE);

    /** Clears the struct and writes {@code name}, which must be at most 15 ASCII characters. */
    Ifreq(String name) {
        memory.clear();
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        memory.write(0, b, 0, b.length);
    }

    Memory pointer() {
        return memory;
    }

    /** The name in the struct: the kernel writes back the one it gave. */
    String name() {
        return memory.getString(0, StandardCharsets.US_ASCII.name());
    }

    short flags() {
        return memory.getShort(UNION);
    }

    Ifreq flags(short flags) {
        clearUnion();
        memory.setShort(UNION, flags);
        return this;
    }

    Ifreq mtu(int mtu) {
        clearUnion();
        memory.setInt(UNION, mtu);
        return this;
    }

    /** A {@code sockaddr_in}: family in host order, port 0, the address in network order. */
    Ifreq inet4(Inet4Address address) {
        clearUnion();
        memory.setShort(UNION, (short) LibC.AF_INET);
        byte[] a = address.getAddress();
        memory.write(UNION + 4, a, 0, a.length);
        return this;
    }

    private void clearUnion() {
        memory.setMemory(UNION, SIZE - UNION, (byte) 0);
    }

    @Override
    public void close() {
        memory.close();
    }
}
