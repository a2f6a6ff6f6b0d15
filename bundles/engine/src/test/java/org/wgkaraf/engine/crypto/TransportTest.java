package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the transport AEAD is chosen: by the system property, else by the JDK or by measurement. */
class TransportTest {
    private static final long SHORT_BUDGET = 20_000_000L;
    private static final int JDK17 = 17;
    private static final int JDK21 = 21;

    @Test
    void propertyBcChoosesBouncyCastleWithoutMeasuring() {
        TransportChoice c = Transport.choose("bc", JDK17, SHORT_BUDGET);
        assertEquals(TransportProvider.BC, c.provider());
        assertEquals(TransportChoice.Basis.PROPERTY, c.basis());
        assertEquals(Optional.empty(), c.calibration());
    }

    @Test
    void propertyJavaChoosesOurOwnWithoutMeasuring() {
        TransportChoice c = Transport.choose("java", JDK17, SHORT_BUDGET);
        assertEquals(TransportProvider.JAVA, c.provider());
        assertEquals(TransportChoice.Basis.PROPERTY, c.basis());
    }

    @Test
    void propertyJceChoosesTheJdkWithoutMeasuring() {
        TransportChoice c = Transport.choose(" JCE ", JDK17, SHORT_BUDGET);
        assertEquals(TransportProvider.JCE, c.provider());
        assertEquals(TransportChoice.Basis.PROPERTY, c.basis());
    }

    @Test
    void withoutPropertyAJdkBefore20UsesOursWithoutMeasuring() {
        TransportChoice c = Transport.choose(null, JDK17, SHORT_BUDGET);
        assertEquals(TransportProvider.JAVA, c.provider());
        assertEquals(TransportChoice.Basis.JDK_WITHOUT_INTRINSIC, c.basis());
        assertEquals(Optional.empty(), c.calibration());
        assertEquals(TransportChoice.Basis.JDK_WITHOUT_INTRINSIC, Transport.choose(null, 19, SHORT_BUDGET).basis(), "19 has none either");
        assertEquals(TransportChoice.Basis.MEASURED, Transport.choose(null, 20, SHORT_BUDGET).basis(), "20 has one");
    }

    @Test
    void propertyMeasureCalibratesOnAnyJdk() {
        TransportChoice c = Transport.choose(" Measure ", JDK17, SHORT_BUDGET);
        assertEquals(TransportChoice.Basis.MEASURED, c.basis());
        assertEquals(c.calibration().orElseThrow().preferred(), c.provider());
    }

    @Test
    void withoutPropertyOnJdk20AndLaterTheMeasuredPreferenceIsChosen() {
        TransportChoice c = Transport.choose(null, JDK21, SHORT_BUDGET);
        assertEquals(TransportChoice.Basis.MEASURED, c.basis());
        TransportChoice.Calibration cal = c.calibration().orElseThrow();
        assertEquals(1484, cal.packetBytes());
        assertEquals(EnumSet.allOf(TransportProvider.class), cal.nanosPerPacket().keySet(), "every provider is timed");
        assertTrue(cal.nanosPerPacket().values().stream().allMatch(n -> n > 0), cal.toString());
        assertEquals(cal.preferred(), c.provider());
    }

    private static TransportChoice.Calibration timed(long bc, long jce, long java) {
        Map<TransportProvider, Long> nanos = new EnumMap<>(TransportProvider.class);
        nanos.put(TransportProvider.BC, bc);
        nanos.put(TransportProvider.JCE, jce);
        nanos.put(TransportProvider.JAVA, java);
        return new TransportChoice.Calibration(1420, nanos, 1);
    }

    @Test
    void clearlyFasterProviderIsPreferred() {
        assertEquals(TransportProvider.JCE, timed(4_000, 3_000, 5_000).preferred());
        assertEquals(TransportProvider.BC, timed(3_000, 4_000, 5_000).preferred());
        assertEquals(TransportProvider.JAVA, timed(3_000, 4_000, 1_500).preferred());
    }

    @Test
    void nearTieGoesToTheAllocationFreeProvider() {
        assertEquals(TransportProvider.BC, timed(4_000, 4_000, 5_000).preferred());
        assertEquals(TransportProvider.BC, timed(4_200, 4_000, 5_000).preferred());
        assertEquals(TransportProvider.JAVA, timed(5_000, 4_000, 4_200).preferred());
    }

    @Test
    void exactTieBetweenAllocationFreeProvidersGoesToTheFirstDeclared() {
        assertEquals(TransportProvider.BC, timed(4_000, 9_000, 4_000).preferred());
    }

    @Test
    void calibrationOfOnlyTheProvidersAvailableChoosesAmongThem() {
        TransportChoice.Calibration c = TransportCalibration.run(SHORT_BUDGET, List.of(TransportProvider.BC, TransportProvider.JAVA));
        assertEquals(EnumSet.of(TransportProvider.BC, TransportProvider.JAVA), c.nanosPerPacket().keySet());
        assertTrue(c.preferred() != TransportProvider.JCE);
    }

    @Test
    void calibrationLastsAtLeastItsBudgetAndStopsByItsCap() {
        TransportChoice.Calibration c = TransportCalibration.run(SHORT_BUDGET, List.of(TransportProvider.BC, TransportProvider.JAVA));
        assertTrue(c.elapsedNanos() >= SHORT_BUDGET, c.toString());
        // The cap, plus one round of batches (slow while interpreted) and a margin for a busy machine.
        assertTrue(c.elapsedNanos() < TransportCalibration.CAP_FACTOR * SHORT_BUDGET + 2_000_000_000L, c.toString());
    }

    @Test
    void calibrationRefusesNoTimesAndNonPositiveTimes() {
        assertThrows(IllegalArgumentException.class, () -> new TransportChoice.Calibration(1420, Map.of(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new TransportChoice.Calibration(1420, Map.of(TransportProvider.BC, 0L), 1));
    }

    @Test
    void unknownPropertyValueFallsBackToMeasuring() {
        assertEquals(TransportChoice.Basis.MEASURED, Transport.choose("aes", JDK21, SHORT_BUDGET).basis());
        assertEquals(TransportChoice.Basis.JDK_WITHOUT_INTRINSIC, Transport.choose("aes", JDK17, SHORT_BUDGET).basis());
    }

    @Test
    void factoryCreatesCiphersOfTheProviderChosenWhenTheKeypairIsMade() throws Exception {
        TransportCipher.Factory f = Transport.factory();
        TransportChoice settled = Transport.awaitChoice();
        assertTrue(settled.basis() != TransportChoice.Basis.PROVISIONAL, "the calibration ends");
        assertSame(settled, Transport.choice(), "chosen once per JVM");
        assertEquals(settled.provider().id(), f.name());
        TransportCipher c = f.create(new byte[32]);
        try {
            assertSame(settled.provider().factory().create(new byte[32]).getClass(), c.getClass());
        } finally {
            c.destroy();
        }
    }

    @Test
    void choiceDescribesItselfWithTheFigures() {
        TransportChoice c = new TransportChoice(TransportProvider.JCE, TransportChoice.Basis.MEASURED,
                Optional.of(new TransportChoice.Calibration(1420,
                        Map.of(TransportProvider.JAVA, 3_500L, TransportProvider.JCE, 3_000L, TransportProvider.BC, 4_000L),
                        150_000_000)));
        assertEquals("jce (measured; seal+open of 1420 bytes: bc 4.00 us, jce 3.00 us, java 3.50 us; calibration took 150 ms)",
                c.toString());
    }

    @Test
    void providersAreNamedByTheirPropertyValue() {
        assertEquals(Optional.of(TransportProvider.BC), TransportProvider.byId("bc"));
        assertEquals(Optional.of(TransportProvider.JCE), TransportProvider.byId("jce"));
        assertEquals(Optional.of(TransportProvider.JAVA), TransportProvider.byId(" Java"));
        assertEquals(Optional.empty(), TransportProvider.byId("bouncycastle"));
        assertEquals(Optional.empty(), TransportProvider.byId(null));
    }
}
