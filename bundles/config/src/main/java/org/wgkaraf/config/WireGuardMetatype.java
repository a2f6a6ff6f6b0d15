package org.wgkaraf.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Metatype description of PID network.wireguard, as {@code config:meta} and the web console
 * show it. Only a description: values are read as strings and checked by {@link Validation}, so
 * a bad value is refused with a message instead of silently replaced by a default.
 * (A double underscore in a method name stands for one underscore in the property name.)
 */
@ObjectClassDefinition(id = "network.wireguard", name = "WireGuard VPN",
        description = "The module's WireGuard tunnel to its owner's private network (one peer: the server)")
@interface WireGuardMetatype {
    @AttributeDefinition(name = "local_ip_address", description = "The IP address of the module in the private network, e.g. 172.16.10.20")
    String local__ip__address();

    @AttributeDefinition(name = "local_ip_netmask", description = "The netmask of the private network, e.g. 255.240.0.0; its subnet is routed through the tunnel")
    String local__ip__netmask();

    @AttributeDefinition(name = "local_private_key", type = AttributeType.PASSWORD,
            description = "The private key of the module (wg genkey). Stored in etc/network.wireguard.secrets; shown as (hidden)")
    String local__private__key();

    @AttributeDefinition(name = "local_port", description = "UDP port of the module, 0 = any free port", required = false)
    String local__port() default "0";

    @AttributeDefinition(name = "peer_endpoint", description = "Host name or IP address of the WireGuard server")
    String peer__endpoint();

    @AttributeDefinition(name = "peer_public_key", description = "The public key of the WireGuard server")
    String peer__public__key();

    @AttributeDefinition(name = "peer_port", description = "UDP port of the WireGuard server", required = false)
    String peer__port() default "51820";

    @AttributeDefinition(name = "preshared_key", type = AttributeType.PASSWORD, required = false,
            description = "Optional pre-shared key (wg genpsk). Stored in etc/network.wireguard.secrets; shown as (hidden)")
    String preshared__key() default "";

    @AttributeDefinition(name = "persistent_keepalive", description = "Seconds between keepalives behind NAT, 0 = off (25 is usual)", required = false)
    String persistent__keepalive() default "0";

    @AttributeDefinition(name = "interface_backend", required = false,
            description = "userspace (default: ICMP and UDP in Java, no privilege) or tun (a Linux TUN interface: the OS carries everything; needs CAP_NET_ADMIN)",
            options = {@org.osgi.service.metatype.annotations.Option(label = "userspace", value = "userspace"),
                    @org.osgi.service.metatype.annotations.Option(label = "tun", value = "tun")})
    String interface__backend() default "userspace";
}
