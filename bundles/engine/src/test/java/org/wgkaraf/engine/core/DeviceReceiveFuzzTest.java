package org.wgkaraf.engine.core;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: everything a peer controls on a device with a live session, through
 * {@link DeviceFuzzHarness}. In a plain test run it replays the inputs kept under
 * {@code src/test/resources/org/wgkaraf/engine/core/DeviceReceiveFuzzTestInputs/receive}; in
 * fuzzing mode (docs/fuzzing.md) it searches for new ones.
 */
class DeviceReceiveFuzzTest {
    @FuzzTest
    void receive(byte[] input) {
        DeviceFuzzHarness.run(input);
    }
}
