package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.node.KubeVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the kubelet emulator tells the simulated API server about its container, through environment
 * variables (a real container learns the same through the downward API and its image): the pod and node
 * it belongs to, the image (hence the server version), and the simulator's own test knobs.
 */
record ContainerContext(String nodeName, Instant nodeCreated, String podUid, String containerId, int restartCount,
                        KubeVersion version, ObjectNode pod, OptionalLong kubeletPid, int eventsPerSecond,
                        OptionalLong maxSizeBytesOverride) {

    static final String NODE_NAME = "KAA_SIM_NODE_NAME";
    static final String NODE_CREATED = "KAA_SIM_NODE_CREATED";
    static final String POD_UID = "KAA_SIM_POD_UID";
    static final String CONTAINER_ID = "KAA_SIM_CONTAINER_ID";
    static final String RESTART_COUNT = "KAA_SIM_RESTART_COUNT";
    static final String IMAGE = "KAA_SIM_IMAGE";
    static final String POD_JSON = "KAA_SIM_POD_JSON";
    static final String KUBELET_PID = "KAA_SIM_KUBELET_PID";
    /** Background audit traffic: generated requests per second (0 = none). */
    static final String EVENT_RATE = "KAA_SIM_EVENT_RATE";
    /** Test-only: rotate the audit log at this many bytes instead of --audit-log-maxsize megabytes. */
    static final String MAXSIZE_BYTES = "KAA_SIM_MAXSIZE_BYTES";

    /** The version a server started without an image claims: the one of the simulated node's manifest. */
    static final KubeVersion DEFAULT_VERSION = new KubeVersion(1, 29, 0);

    static ContainerContext fromEnvironment(Map<String, String> env) {
        KubeVersion version = Optional.ofNullable(env.get(IMAGE)).flatMap(KubeVersion::fromImage).orElse(DEFAULT_VERSION);
        String node = env.getOrDefault(NODE_NAME, "sim-control-plane");
        ObjectNode pod;
        try {
            JsonNode parsed = env.containsKey(POD_JSON) ? GoJson.MAPPER.readTree(env.get(POD_JSON)) : null;
            pod = parsed instanceof ObjectNode o ? o : GoJson.object();
        } catch (IOException e) {
            throw new UncheckedIOException(POD_JSON + " is not JSON", e);
        }
        return new ContainerContext(node,
                Optional.ofNullable(env.get(NODE_CREATED)).map(Instant::parse).orElse(Instant.now()),
                env.getOrDefault(POD_UID, ""), env.getOrDefault(CONTAINER_ID, ""),
                Integer.parseInt(env.getOrDefault(RESTART_COUNT, "0")), version, pod,
                optionalLong(env.get(KUBELET_PID)), Integer.parseInt(env.getOrDefault(EVENT_RATE, "0")),
                optionalLong(env.get(MAXSIZE_BYTES)));
    }

    private static OptionalLong optionalLong(String value) {
        return value == null || value.isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.trim()));
    }
}
