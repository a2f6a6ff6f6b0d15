package org.wgkaraf.netif.tcp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: what a peer sends to the userspace TCP layer, with the application's calls and time
 * interleaved, through {@link TcpFuzzHarness}. In a plain test run it replays the inputs kept under
 * {@code src/test/resources/org/wgkaraf/netif/tcp/TcpConnectionsFuzzTestInputs/operations}; in
 * fuzzing mode (docs/fuzzing.md) it searches for new ones.
 */
class TcpConnectionsFuzzTest {
    @FuzzTest
    void operations(byte[] input) {
        TcpFuzzHarness.run(input);
    }
}
