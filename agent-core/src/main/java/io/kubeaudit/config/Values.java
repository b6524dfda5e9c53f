package io.kubeaudit.config;

import java.util.IdentityHashMap;
import java.util.Map;

/** The values of one section's settings, read or defaulted, from which the section builds its record. */
public final class Values {

    private final Map<Setting<?>, Object> values = new IdentityHashMap<>();

    <T> void put(Setting<T> setting, T value) {
        values.put(setting, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("setting \"" + setting.key() + "\" is not in this section's table");
        }
        return (T) values.get(setting);
    }
}
