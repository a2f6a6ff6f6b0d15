/**
 * TCP through the tunnel: the userspace layer's own TCP, and the one
 * {@link org.wgkaraf.api.netif.TcpService} of the bundle over both backends.
 *
 * <p>The core is free of I/O, threads and clocks: {@link org.wgkaraf.netif.tcp.Tcb} (one
 * connection's state; RFC 9293) with {@code Arrival} (segment arrival), {@code LossRecovery}
 * (ACKs and timeouts: RFC 6298, 5681, 6582, 6675, 8985) and {@code Transmitter} (what to send);
 * the segment codec ({@code SegmentParser}, a pure function, and {@code SegmentWriter}); sequence
 * numbers ({@code Seq}); the buffers ({@code SendBuffer}, {@code ReceiveBuffer} with
 * {@code OutOfOrderRanges}, over {@code ChunkRing} and the budgeted {@code ChunkPool}); the
 * retransmission queue and SACK scoreboard; congestion control ({@code NewReno}, {@code Bbr}) and
 * {@code DeliveryRate}; the RTO estimator; the ISN generator ({@code SipHash}, RFC 6528).
 *
 * <p>The runtime around it: {@link org.wgkaraf.netif.tcp.UserspaceTcp} (demultiplexing, limits,
 * listeners, connecting), {@code UserspaceConnection} with its stream adapters, the
 * {@code ConnectionTable}, and {@code LayerThreads} (one timer thread, one output thread).
 * docs/tcp.md describes the design, the threads and the locking rule.
 */
package org.wgkaraf.netif.tcp;
