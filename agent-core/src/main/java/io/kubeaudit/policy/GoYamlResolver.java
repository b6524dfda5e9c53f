package io.kubeaudit.policy;

import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Types plain scalars as kube-apiserver's YAML reader does ({@link GoYamlScalars}), so every check after
 * parsing sees the server's types: {@code y} a boolean, {@code 0o17} an integer. Quoted and explicitly
 * tagged scalars keep SnakeYAML's handling (a string, or the tag written).
 */
final class GoYamlResolver extends Resolver {

    private final GoYamlScalars.Build build;

    GoYamlResolver(GoYamlScalars.Build build) {
        this.build = build;
    }

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
        if (kind != NodeId.scalar || !implicit) {
            return super.resolve(kind, value, implicit);
        }
        return switch (GoYamlScalars.plain(value, build).kind()) {
            case STRING -> Tag.STR;
            case BOOL -> Tag.BOOL;
            case INT -> Tag.INT;
            case FLOAT -> Tag.FLOAT;
            case NULL -> Tag.NULL;
        };
    }
}
