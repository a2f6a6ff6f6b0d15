package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The send buffer: bounded per connection and by the layer's budget; acknowledged bytes free memory. */
class SendBufferTest {
    private final ChunkPool pool = new ChunkPool(1L << 20);

    @Test
    void takesWhatFitsAndNoMore() {
        SendBuffer b = new SendBuffer(pool, 40_000);
        assertEquals(40_000, b.write(new byte[50_000], 0, 50_000));
        assertEquals(0, b.write(new byte[1], 0, 1), "full");
        b.acknowledge(10_000);
        assertEquals(10_000, b.free());
    }

    @Test
    void bytesComeBackOutForRetransmissionUntilAcknowledged() {
        SendBuffer b = new SendBuffer(pool, 100_000);
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        b.write(data, 0, data.length);
        byte[] out = new byte[1368];
        b.copy(16_000, out, 0, out.length); // across a chunk boundary
        assertArrayEquals(Arrays.copyOfRange(data, 16_000, 16_000 + 1368), out);
        b.acknowledge(20_000);
        assertThrows(IllegalArgumentException.class, () -> b.copy(19_000, out, 0, 10), "acknowledged bytes are gone");
    }

    @Test
    void theLayersBudgetLimitsAllBuffersTogether() {
        ChunkPool small = new ChunkPool(2 * ChunkPool.CHUNK);
        SendBuffer a = new SendBuffer(small, 1 << 20);
        SendBuffer b = new SendBuffer(small, 1 << 20);
        assertEquals(ChunkPool.CHUNK, a.write(new byte[ChunkPool.CHUNK], 0, ChunkPool.CHUNK));
        assertEquals(ChunkPool.CHUNK, b.write(new byte[2 * ChunkPool.CHUNK], 0, 2 * ChunkPool.CHUNK), "the rest of the budget");
        assertEquals(0, a.write(new byte[10], 0, 10), "spent");
        b.acknowledge(ChunkPool.CHUNK);
        assertEquals(10, a.write(new byte[10], 0, 10), "given back by the other connection");
    }
}
