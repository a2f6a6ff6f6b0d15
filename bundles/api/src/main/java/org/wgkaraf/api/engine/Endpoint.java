package org.wgkaraf.api.engine;

/**
 * Where a peer is reached: a host name or literal address and a UDP port. The engine resolves the
 * host when it starts and again when handshakes stop being answered, so dynamic DNS works.
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("endpoint host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is outside 1-65535");
        }
        host = host.strip();
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
