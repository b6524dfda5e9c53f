package io.kubeaudit.manifest;

import java.util.Optional;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One kube-apiserver flag in a command or args list: {@code --name=value}, a bare {@code --name}, or the
 * two-item form {@code --name} followed by {@code value}.
 *
 * @param index     position of the flag item in {@code sequence}
 * @param valueItem the separate value item of the two-item form
 */
record FlagItem(String name, String value, SequenceNode sequence, int index, ScalarNode flagNode,
                Optional<ScalarNode> valueItem) {

    int itemCount() {
        return valueItem.isPresent() ? 2 : 1;
    }

    /** The node whose text carries the value: the value item, or the flag item itself. */
    ScalarNode valueCarrier() {
        return valueItem.orElse(flagNode);
    }

    /** What {@link #valueCarrier()} must read so the flag has {@code newValue}. */
    String carrierText(String newValue) {
        return valueItem.isPresent() ? newValue : name + "=" + newValue;
    }
}
