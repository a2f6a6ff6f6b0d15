package org.wgkaraf.testsupport.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code wg show <if> dump}, parsed. The first line holds the interface's private key: only its
 * public key, port and fwmark are kept. Of a peer's pre-shared key only its presence is kept.
 *
 * @param peers one per peer line, in the order wg printed them
 */
public record WgDump(String publicKey, int listenPort, String fwmark, List<Peer> peers) {

    /**
     * One peer line.
     *
     * @param endpoint            "ip:port", or {@code null} while unknown
     * @param latestHandshake     seconds since the Unix epoch, 0 when there was none
     * @param persistentKeepalive seconds, 0 when off
     */
    public record Peer(String publicKey, boolean hasPresharedKey, String endpoint, List<String> allowedIps,
                long latestHandshake, long rxBytes, long txBytes, int persistentKeepalive) {
    }

    public WgDump {
        peers = List.copyOf(peers);
    }

    public Optional<Peer> peer(String publicKey) {
        return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
    }

    public static WgDump parse(String text) {
        String[] lines = text.strip().split("\n");
        String[] head = lines[0].split("\t", -1);
        if (head.length != 4) {
            throw new IllegalArgumentException("interface line of `wg show dump` has " + head.length + " fields, expected 4");
        }
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException("peer line " + i + " of `wg show dump` has " + f.length + " fields, expected 8");
            }
            peers.add(new Peer(
                    f[0],
                    !f[1].equals("(none)"),
                    f[2].equals("(none)") ? null : f[2],
                    f[3].equals("(none)") || f[3].isEmpty() ? List.of() : List.of(f[3].split(",")),
                    Long.parseLong(f[4]),
                    Long.parseLong(f[5]),
                    Long.parseLong(f[6]),
                    f[7].equals("off") ? 0 : Integer.parseInt(f[7])));
        }
        return new WgDump(head[1], Integer.parseInt(head[2]), head[3], peers);
    }
}
