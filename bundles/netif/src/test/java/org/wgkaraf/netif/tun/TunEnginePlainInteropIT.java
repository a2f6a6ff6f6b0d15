package org.wgkaraf.netif.tun;

/**
 * {@link TunEngineInteropIT} with the TUN offloads off ({@code wgkaraf.tun.offload=false}): the
 * path of one packet per read and write stays right too.
 */
class TunEnginePlainInteropIT extends TunEngineInteropIT {
    @Override
    boolean offloads() {
        return false;
    }
}
