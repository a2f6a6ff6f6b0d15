package org.wgkaraf.engine.crypto;

/** Which {@link TransportCipher.Factory} the engine uses. */
public final class Transport {
    private Transport() {
    }

    public static TransportCipher.Factory factory() {
        return BcTransportCipher.FACTORY;
    }
}
