package org.wgkaraf.netif.ip;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: every packet a peer can hand the userspace IPv4 layer, with the application's
 * calls and time interleaved, through {@link Ipv4FuzzHarness}. In a plain test run it replays the
 * inputs kept under {@code src/test/resources/org/wgkaraf/netif/ip/Ipv4InputFuzzTestInputs/input};
 * in fuzzing mode (docs/fuzzing.md) it searches for new ones.
 */
class Ipv4InputFuzzTest {
    @FuzzTest
    void input(byte[] input) {
        Ipv4FuzzHarness.run(input);
    }
}
