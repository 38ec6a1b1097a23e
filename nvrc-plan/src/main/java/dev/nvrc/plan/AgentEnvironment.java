package dev.nvrc.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kata-agent's environment: what the init was given, minus the C stub's variables, plus
 * {@code KATA_ATTESTER_VARIANT=nvidia} when the GPU user space is a Kata guest extension.
 *
 * @param inherited the init's own environment
 * @param gpuExtension whether the GPU user space is the gpu guest extension
 */
public record AgentEnvironment(Map<String, String> inherited, boolean gpuExtension) {
    /** What the C stub sets for the JVM and kata-agent must not see. */
    static final List<String> DROPPED = List.of("LD_ORIGIN_PATH", "JAVA_TOOL_OPTIONS");
    /** Tells kata-agent's attestation which evidence the GPUs give. */
    static final Map<String, String> GPU_EXTENSION_VARIABLES =
            Map.of("KATA_ATTESTER_VARIANT", dev.nvrc.core.GuestLayout.ATTESTER_VARIANT_NVIDIA);

    public AgentEnvironment {
        inherited = Map.copyOf(inherited);
    }

    /** The variables added to the inherited ones. */
    Map<String, String> added() {
        return gpuExtension ? GPU_EXTENSION_VARIABLES : Map.of();
    }

    /** The environment execve passes. */
    Map<String, String> toMap() {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        DROPPED.forEach(env::remove);
        env.putAll(added());
        return env;
    }

    /**
     * The rule, for the plan: the values come from the kernel at boot (its {@code HOME}, {@code TERM}
     * and the command line's unknown {@code name=value} words), so a plan cannot know them.
     */
    String describe() {
        StringBuilder sb = new StringBuilder("the init's own without ").append(String.join(" ", DROPPED));
        added().forEach((k, v) -> sb.append(", plus ").append(k).append('=').append(v));
        return sb.toString();
    }
}
