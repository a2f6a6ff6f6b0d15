package org.wgkaraf.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The Metatype description of PID network.wireguard: the form that {@code config:meta} and the
 * web console build, with a name and a description a person understands and the type of each
 * value. Only a description: whatever arrives (a string typed in the shell, an Integer from the
 * form) is checked by {@link Validation}, so a bad value is refused with a message instead of
 * silently replaced by a default. (A double underscore in a method name stands for one
 * underscore in the property name.)
 */
@ObjectClassDefinition(id = "network.wireguard", name = "WireGuard VPN",
        description = "The module's WireGuard tunnel into its owner's private network (one peer: the server),"
                + " and the SSH console and SOCKS5 proxy that use it")
@interface WireGuardMetatype {
    @AttributeDefinition(name = "Module's address",
            description = "The IPv4 address of the module in the private network, e.g. 172.16.10.20")
    String local__ip__address();

    @AttributeDefinition(name = "Private network's netmask",
            description = "The netmask of the private network, e.g. 255.240.0.0; its subnet is routed through the tunnel")
    String local__ip__netmask();

    @AttributeDefinition(name = "Module's private key", type = AttributeType.PASSWORD,
            description = "The private key of the module, base64 ('wireguard genkey' prints one)."
                    + " Kept in etc/network.wireguard.secrets (owner only); shown as (hidden)")
    String local__private__key();

    @AttributeDefinition(name = "Module's UDP port", required = false, min = "0", max = "65535",
            description = "The UDP port the module sends from and listens on; 0 picks any free port")
    int local__port() default 0;

    @AttributeDefinition(name = "Server's host name or address",
            description = "The WireGuard server, e.g. wg.example.net; a name is looked up again when handshakes go unanswered")
    String peer__endpoint();

    @AttributeDefinition(name = "Server's UDP port", required = false, min = "1", max = "65535",
            description = "The UDP port the WireGuard server listens on")
    int peer__port() default 51820;

    @AttributeDefinition(name = "Server's public key",
            description = "The public key of the WireGuard server, base64 (its [Interface] PrivateKey's public half)")
    String peer__public__key();

    @AttributeDefinition(name = "Pre-shared key", type = AttributeType.PASSWORD, required = false,
            description = "Optional extra symmetric key, base64 ('wireguard genpsk'); the server's PresharedKey."
                    + " Kept in etc/network.wireguard.secrets; shown as (hidden)")
    String preshared__key() default "";

    @AttributeDefinition(name = "Keepalive interval (seconds)", required = false, min = "0", max = "65535",
            description = "Seconds between keepalives, so a module behind NAT stays reachable; 0 is off, 25 is usual")
    int persistent__keepalive() default 0;

    @AttributeDefinition(name = "Interface backend", required = false,
            description = "userspace: the module is a host in Java (no privilege needed). tun: a Linux TUN"
                    + " interface, the operating system carries everything (needs CAP_NET_ADMIN)",
            options = {@Option(label = "userspace (no privilege)", value = "userspace"),
                    @Option(label = "tun (Linux TUN device)", value = "tun")})
    String interface__backend() default "userspace";

    @AttributeDefinition(name = "SSH console port", required = false, min = "0", max = "65535",
            description = "The port of the module's tunnel address that reaches Karaf's SSH console"
                    + " (ssh karaf@172.16.10.20); 0 turns it off")
    int ssh__port() default 22;

    @AttributeDefinition(name = "SOCKS5 proxy port", required = false, min = "0", max = "65535",
            description = "A SOCKS5 proxy on 127.0.0.1 of the module into the private network; 0 turns it off")
    int socks__port() default 0;
}
