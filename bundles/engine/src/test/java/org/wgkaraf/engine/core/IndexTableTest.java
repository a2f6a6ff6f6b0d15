package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexTableTest {
    @Test
    void behavesLikeAMapUnderRandomInsertsAndRemovals() {
        IndexTable table = new IndexTable(TestNet.seeded(9));
        Map<Integer, IndexTable.Entry> model = new HashMap<>();
        Random r = new Random(3);
        for (int step = 0; step < 50_000; step++) {
            if (r.nextInt(3) > 0 || model.isEmpty()) {
                int index = table.newHandshakeIndex(null);
                assertNull(model.put(index, table.lookup(index)), "indices are unique");
            } else {
                Integer victim = model.keySet().iterator().next();
                table.remove(victim);
                model.remove(victim);
                assertNull(table.lookup(victim));
            }
            if (model.size() > 300) {
                for (Integer k : model.keySet().toArray(new Integer[0])) {
                    if (r.nextBoolean()) {
                        table.remove(k);
                        model.remove(k);
                    }
                }
            }
        }
        assertEquals(model.size(), table.size());
        for (Map.Entry<Integer, IndexTable.Entry> e : model.entrySet()) {
            assertSame(e.getValue(), table.lookup(e.getKey()));
        }
        table.clear();
        assertEquals(0, table.size());
    }
}
