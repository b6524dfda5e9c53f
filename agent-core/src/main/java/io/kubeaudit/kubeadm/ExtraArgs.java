package io.kubeaudit.kubeadm;

import java.util.List;

/**
 * {@code apiServer.extraArgs} in either of its shapes: a map (v1beta3) or a list of {name, value} (v1beta4).
 * Changes are made in the YAML tree; the key is created on the first addition and removed when emptied.
 */
sealed interface ExtraArgs permits ArgMap, ArgList {

    String PATH = ClusterConfiguration.API_SERVER + ".extraArgs";

    /** Every entry, in order; in a list a name may occur more than once. */
    List<Arg> all();

    /** Sets the value of the {@code occurrence}-th entry named {@code name}; nothing when there are fewer. */
    void set(String name, int occurrence, String value);

    /** Adds an entry at the end. */
    void add(String name, String value);

    /** Removes every entry named {@code name}. */
    void removeAll(String name);

    default List<String> values(String name) {
        return all().stream().filter(a -> a.name().equals(name)).map(Arg::value).toList();
    }
}
