package org.wgkaraf.shell.command;

import org.wgkaraf.api.netif.PingService;

/**
 * What the user typed after the word; each command fills the part it takes.
 *
 * @param privateKey {@code pubkey}'s key, or null to read it from the standard input
 * @param instance   the {@code network.wireguard} instance of {@code set}, {@code get}, {@code unset}
 * @param value      the value of {@code set}
 * @param host       the host of {@code ping}
 */
record Arguments(String privateKey, String instance, String value, String host, PingService.Options options) {
    static final Arguments NONE = new Arguments(null, null, null, null, PingService.Options.DEFAULT);

    static Arguments privateKey(String privateKey) {
        return new Arguments(privateKey, null, null, null, PingService.Options.DEFAULT);
    }

    static Arguments setting(String instance, String value) {
        return new Arguments(null, instance, value, null, PingService.Options.DEFAULT);
    }

    static Arguments ping(String host, PingService.Options options) {
        return new Arguments(null, null, null, host, options);
    }

    /** The key and the value may be secrets. */
    @Override
    public String toString() {
        return "Arguments[instance=" + instance + ", host=" + host + ", options=" + options + "]";
    }
}
