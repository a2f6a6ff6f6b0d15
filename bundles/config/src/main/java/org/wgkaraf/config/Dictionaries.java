package org.wgkaraf.config;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;

/** ConfigAdmin hands out its own dictionaries: changes are made on a copy and given back whole. */
final class Dictionaries {
    private Dictionaries() {
    }

    /** A modifiable copy; empty for {@code null} (a configuration with no properties yet). */
    static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Dictionary<String, Object> copy = new Hashtable<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                copy.put(k, d.get(k));
            }
        }
        return copy;
    }
}
