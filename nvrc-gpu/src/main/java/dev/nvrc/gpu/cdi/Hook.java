package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * An OCI hook the runtime runs for the container.
 *
 * @param hookName the OCI hook point ({@code createContainer})
 * @param path the program, as the runtime sees it
 * @param args the whole argv, {@code args[0]} included
 * @param env the hook's environment
 */
@JsonPropertyOrder({"hookName", "path", "args", "env"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Hook(String hookName, String path, List<String> args, List<String> env) {
    public Hook {
        Objects.requireNonNull(hookName, "hookName");
        Objects.requireNonNull(path, "path");
        args = List.copyOf(args);
        env = List.copyOf(env);
    }
}
