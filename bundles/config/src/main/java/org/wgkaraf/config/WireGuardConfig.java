package org.wgkaraf.config;

import java.net.Inet4Address;
import java.util.List;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifRegistry;

/**
 * A valid {@code network.wireguard} configuration, typed. {@code toString} hides the keys.
 *
 * @param presharedKey null for none
 * @param backend      who carries the tunnel interface's packets (an addition to the original's
 *                     nine instances: {@code interface_backend = userspace | tun})
 */
public record WireGuardConfig(Inet4Address localAddress, Inet4Address localNetmask, SecretKey privateKey, int localPort,
                              String peerEndpoint, PublicKey peerPublicKey, int peerPort, SecretKey presharedKey,
                              int persistentKeepalive, NetifRegistry.Backend backend) {

    /** The subnet of the private network: what the tunnel carries (the peer's allowed IPs). */
    public IpPrefix subnet() {
        return new IpPrefix(localAddress, prefixLength(localNetmask));
    }

    static int prefixLength(Inet4Address netmask) {
        int bits = 0;
        for (byte b : netmask.getAddress()) {
            bits += Integer.bitCount(b & 0xff);
        }
        return bits;
    }

    public TunnelConfig toTunnelConfig(String name) {
        return new TunnelConfig(name, privateKey, localPort, List.of(peerConfig()));
    }

    public PeerConfig peerConfig() {
        return new PeerConfig(peerPublicKey, presharedKey, new Endpoint(peerEndpoint, peerPort), List.of(subnet()),
                persistentKeepalive);
    }

    /** What a change from {@code old} to this needs: see {@link Change}. */
    public Change changeFrom(WireGuardConfig old) {
        if (old == null || !old.privateKey.equals(privateKey) || !old.localAddress.equals(localAddress)
                || !old.localNetmask.equals(localNetmask) || old.backend != backend) {
            return Change.NEW_TUNNEL;
        }
        return equals(old) ? Change.NONE : Change.RECONFIGURE;
    }

    /**
     * What each instance's change does to a running tunnel.
     * <ul>
     * <li>local_private_key: a new identity, so a new tunnel (new handshake).</li>
     * <li>local_ip_address, local_ip_netmask, interface_backend: a new interface {@code wg<n>},
     * so a new tunnel too (one handshake, well under a second).</li>
     * <li>everything else is applied to the running tunnel: persistent_keepalive and
     * preshared_key take effect without a new socket (the pre-shared key at the next handshake);
     * peer_endpoint and peer_port are resolved again and the session is kept; local_port rebinds
     * the socket and keeps the session; a new peer_public_key replaces the peer (new handshake).</li>
     * </ul>
     */
    public enum Change { NONE, RECONFIGURE, NEW_TUNNEL }
}
