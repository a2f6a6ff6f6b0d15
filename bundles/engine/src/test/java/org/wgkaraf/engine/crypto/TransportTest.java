package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the transport AEAD is chosen: by the system property, else by measurement. */
class TransportTest {
    private static final long SHORT_BUDGET = 20_000_000L;

    @Test
    void propertyBcChoosesBouncyCastleWithoutMeasuring() {
        TransportChoice c = Transport.choose("bc", SHORT_BUDGET);
        assertEquals(TransportProvider.BC, c.provider());
        assertEquals(TransportChoice.Basis.PROPERTY, c.basis());
        assertEquals(Optional.empty(), c.calibration());
    }

    @Test
    void propertyJceChoosesTheJdkWithoutMeasuring() {
        TransportChoice c = Transport.choose(" JCE ", SHORT_BUDGET);
        assertEquals(TransportProvider.JCE, c.provider());
        assertEquals(TransportChoice.Basis.PROPERTY, c.basis());
    }

    @Test
    void withoutPropertyTheMeasuredPreferenceIsChosen() {
        TransportChoice c = Transport.choose(null, SHORT_BUDGET);
        assertEquals(TransportChoice.Basis.MEASURED, c.basis());
        TransportChoice.Calibration cal = c.calibration().orElseThrow();
        assertEquals(1484, cal.packetBytes());
        assertTrue(cal.bcNanosPerPacket() > 0 && cal.jceNanosPerPacket() > 0, cal.toString());
        assertEquals(cal.preferred(), c.provider());
    }

    @Test
    void clearlyFasterProviderIsPreferred() {
        assertEquals(TransportProvider.JCE, new TransportChoice.Calibration(1420, 4_000, 3_000, 1).preferred());
        assertEquals(TransportProvider.BC, new TransportChoice.Calibration(1420, 3_000, 4_000, 1).preferred());
    }

    @Test
    void nearTieGoesToTheAllocationFreeProvider() {
        assertEquals(TransportProvider.BC, new TransportChoice.Calibration(1420, 4_000, 4_000, 1).preferred());
        assertEquals(TransportProvider.BC, new TransportChoice.Calibration(1420, 4_200, 4_000, 1).preferred());
    }

    @Test
    void unknownPropertyValueFallsBackToMeasuring() {
        assertEquals(TransportChoice.Basis.MEASURED, Transport.choose("aes", SHORT_BUDGET).basis());
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
                Optional.of(new TransportChoice.Calibration(1420, 4_000, 3_000, 150_000_000)));
        assertEquals("jce (measured; seal+open of 1420 bytes: bc 4.00 us, jce 3.00 us; calibration took 150 ms)", c.toString());
    }

    @Test
    void providersAreNamedByTheirPropertyValue() {
        assertEquals(Optional.of(TransportProvider.BC), TransportProvider.byId("bc"));
        assertEquals(Optional.of(TransportProvider.JCE), TransportProvider.byId("jce"));
        assertEquals(Optional.empty(), TransportProvider.byId("bouncycastle"));
        assertEquals(Optional.empty(), TransportProvider.byId(null));
    }
}
