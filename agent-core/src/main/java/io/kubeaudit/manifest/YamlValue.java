package io.kubeaudit.manifest;

import java.util.List;

/** A small piece of YAML the editor writes into a manifest: a volume, a mount, an annotation value. */
sealed interface YamlValue permits YamlValue.Text, YamlValue.Bool, YamlValue.Entries, YamlValue.Items {

    record Text(String value) implements YamlValue {
        public Text {
            if (value == null) {
                throw new IllegalArgumentException("text value is null");
            }
        }
    }

    record Bool(boolean value) implements YamlValue {
    }

    /** A mapping, in the order the entries should appear unless a neighbour dictates another. */
    record Entries(List<Entry> entries) implements YamlValue {
        public Entries {
            entries = List.copyOf(entries);
        }

        static Entries of(Entry... entries) {
            return new Entries(List.of(entries));
        }
    }

    record Entry(String key, YamlValue value) {
    }

    record Items(List<YamlValue> items) implements YamlValue {
        public Items {
            items = List.copyOf(items);
        }
    }

    static Entry entry(String key, String value) {
        return new Entry(key, new Text(value));
    }

    static Entry entry(String key, boolean value) {
        return new Entry(key, new Bool(value));
    }

    static Entry entry(String key, YamlValue value) {
        return new Entry(key, value);
    }
}
