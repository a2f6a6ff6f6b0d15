package org.wgkaraf.access.socks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.wgkaraf.api.access.SocksRefusal;

/**
 * The server's side of the SOCKS5 handshake (RFC 1928): the greeting (method 0x00, no
 * authentication, is the only one accepted) and one request, read within a deadline, and the
 * replies.
 */
final class Socks5 {
    static final int VERSION = 5;
    static final int METHOD_NONE = 0x00;
    static final int NO_ACCEPTABLE_METHOD = 0xFF;
    static final int CMD_CONNECT = 1;
    static final int ATYP_IPV4 = 1;
    static final int ATYP_DOMAIN = 3;
    static final int ATYP_IPV6 = 4;
    static final int SUCCEEDED = 0;

    private Socks5() {
    }

    /** A CONNECT request: an IPv4 address, or a name to resolve on the module. */
    record Request(Inet4Address address, String host, int port) {
        String target() {
            return (host != null ? host : address.getHostAddress()) + ":" + port;
        }
    }

    /**
     * The handshake did not end in a request to carry out. {@code reply} says what to send: a
     * method selection of {@link #NO_ACCEPTABLE_METHOD}, a reply with the refusal's code, or
     * nothing (a peer that does not speak SOCKS5, or a timeout).
     */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final SocksRefusal reason;
        final boolean reply;

        Refused(SocksRefusal reason, boolean reply, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.reply = reply;
        }
    }

    /**
     * Reads the greeting, answers it, and reads the request; all of it before {@code deadline}
     * ({@link System#nanoTime()}).
     */
    static Request handshake(Socket socket, long deadline) throws IOException, Refused {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        Reader r = new Reader(socket, in, deadline);

        int version = r.u8();
        if (version != VERSION) {
            throw new Refused(SocksRefusal.MALFORMED, false, "not SOCKS5 (version " + version + ")");
        }
        int methods = r.u8();
        boolean none = false;
        for (int i = 0; i < methods; i++) {
            none |= r.u8() == METHOD_NONE;
        }
        if (!none) {
            out.write(new byte[] {VERSION, (byte) NO_ACCEPTABLE_METHOD});
            out.flush();
            throw new Refused(SocksRefusal.NO_ACCEPTABLE_METHOD, false, "no 'no authentication' method offered");
        }
        out.write(new byte[] {VERSION, METHOD_NONE});
        out.flush();

        version = r.u8();
        int command = r.u8();
        int reserved = r.u8();
        int type = r.u8();
        if (version != VERSION || reserved != 0) {
            throw new Refused(SocksRefusal.MALFORMED, true, "request of version " + version + ", reserved " + reserved);
        }
        Inet4Address address = null;
        String host = null;
        switch (type) {
            case ATYP_IPV4 -> address = (Inet4Address) InetAddress.getByAddress(r.bytes(4));
            case ATYP_DOMAIN -> {
                int length = r.u8();
                host = new String(r.bytes(length), StandardCharsets.US_ASCII);
            }
            case ATYP_IPV6 -> {
                r.bytes(16 + 2);
                throw new Refused(SocksRefusal.ADDRESS_TYPE_NOT_SUPPORTED, true, "IPv6 address");
            }
            default -> throw new Refused(SocksRefusal.ADDRESS_TYPE_NOT_SUPPORTED, true, "address type " + type);
        }
        int port = r.u16();
        if (command != CMD_CONNECT) {
            throw new Refused(SocksRefusal.COMMAND_NOT_SUPPORTED, true, "command " + command);
        }
        if (host != null && (host.isEmpty() || !host.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new Refused(SocksRefusal.MALFORMED, true, "host name of " + host.length() + " bytes, not printable ASCII");
        }
        if (port == 0) {
            throw new Refused(SocksRefusal.MALFORMED, true, "port 0");
        }
        return new Request(address, host, port);
    }

    /** A reply to the request: success with the address the proxy connected from, or a refusal's code. */
    static void reply(OutputStream out, int code, InetSocketAddress bound) throws IOException {
        byte[] b = new byte[10];
        b[0] = VERSION;
        b[1] = (byte) code;
        b[3] = ATYP_IPV4;
        if (bound != null && bound.getAddress() instanceof Inet4Address a) {
            System.arraycopy(a.getAddress(), 0, b, 4, 4);
            b[8] = (byte) (bound.getPort() >>> 8);
            b[9] = (byte) bound.getPort();
        }
        out.write(b);
        out.flush();
    }

    /** Reads bytes within the deadline; the end of the stream or the deadline ends the handshake. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        Reader(Socket socket, InputStream in, long deadline) {
            this.socket = socket;
            this.in = in;
            this.deadline = deadline;
        }

        int u8() throws IOException, Refused {
            return bytes(1)[0] & 0xff;
        }

        int u16() throws IOException, Refused {
            byte[] b = bytes(2);
            return (b[0] & 0xff) << 8 | b[1] & 0xff;
        }

        byte[] bytes(int n) throws IOException, Refused {
            byte[] b = new byte[n];
            int off = 0;
            while (off < n) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new Refused(SocksRefusal.HANDSHAKE_TIMEOUT, false, "handshake timeout");
                }
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                int k;
                try {
                    k = in.read(b, off, n - off);
                } catch (SocketTimeoutException e) {
                    throw new Refused(SocksRefusal.HANDSHAKE_TIMEOUT, false, "handshake timeout");
                }
                if (k < 0) {
                    throw new Refused(SocksRefusal.MALFORMED, false, "closed in the middle of the handshake");
                }
                off += k;
            }
            return b;
        }
    }
}
