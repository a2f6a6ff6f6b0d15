package org.wgkaraf.netif.ip;

/**
 * An echo reply matched to its request.
 *
 * @param dataSize  bytes of data after the ICMP header
 * @param rttMillis from the request's send to the reply's arrival
 */
public record EchoReply(int sequence, int ttl, int dataSize, double rttMillis) {
}
