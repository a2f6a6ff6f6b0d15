package org.wgkaraf.netif;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Run by the interop test inside the wireguard-go namespace: a UDP echo server on the given
 * address and port. Prints "ready" once bound; echoes every datagram, upper-cased, until killed.
 */
public final class UdpEchoMain {
    private UdpEchoMain() {
    }

    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])))) {
            System.out.println("ready");
            System.out.flush();
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                byte[] reply = new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8)
                        .toUpperCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                s.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            }
        }
    }
}
