package dev.nvrc.gpu.cdi;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.ProgramStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The boot step that writes the CDI spec, with the backend {@code nvrc.cdi} chose. */
public final class CdiSteps {
    /** The step's name in the plan, the report and a FAILED line. */
    public static final String NAME = "cdi";
    /** Where nvidia-ctk writes its spec (upstream's path; YAML, as upstream). */
    public static final String CTK_OUTPUT = "/var/run/cdi/nvidia.yaml";

    private CdiSteps() {
    }

    /**
     * The CDI step for {@code config} on {@code layout}: the native generator, or for
     * {@link CdiBackend#CTK} {@code nvidia-ctk -d cdi generate} in the foreground, as upstream runs
     * it. nvidia-ctk may run as long as {@code nvrc.timeout} says (there is no per-program key).
     */
    public static Step forConfig(BootConfig config, GuestLayout layout) {
        return forConfig(config, layout, null, (key, value) -> { });
    }

    /**
     * The options the native CDI step generates with for a guest laid out as {@code layout}: the
     * Kata {@code gpu} extension's when the layout has it, the defaults otherwise. The one rule
     * for the boot, the plan and {@link CdiSpecOptions#detect}.
     */
    public static CdiSpecOptions options(GuestLayout layout) {
        return layout.isGpuExtension() ? CdiSpecOptions.kataGpuExtension() : CdiSpecOptions.defaults();
    }

    /**
     * The CDI step as {@link #forConfig(BootConfig, GuestLayout)}, for a boot or a plan over the machine
     * at {@code paths}: the native step's plan entry names the image's {@code nvidia-cdi-hook}
     * release and the hooks it lacks when the program can be read under {@code paths} (not for a
     * GPU extension that is not mounted yet), and when it runs it hands the same to {@code facts}
     * ({@code cdi_hook_release}, {@code cdi_hooks_left_out}) for the boot report.
     *
     * @param paths the machine's root for the plan entry, or {@code null}
     * @param facts receives the boot report's facts
     */
    public static Step forConfig(BootConfig config, GuestLayout layout, NvrcPaths paths, BiConsumer<String, Object> facts) {
        if (config.cdi() != CdiBackend.CTK) {
            return new NativeCdiStep(options(layout), paths, facts);
        }
        return new ProgramStep(NAME, "nvidia-ctk", ctkArgv(layout), config.timeout())
                .with("backend", CdiBackend.CTK.canonical())
                .with("path", CTK_OUTPUT);
    }

    /**
     * Upstream's argv: with the Kata GPU extension, the program comes from the extension and gets
     * its driver root, {@code --dev-root=/} and the extension's hook path.
     */
    static List<String> ctkArgv(GuestLayout layout) {
        List<String> argv = new ArrayList<>();
        argv.add(layout.path("/bin/nvidia-ctk"));
        argv.addAll(List.of("-d", "cdi", "generate", "--output=" + CTK_OUTPUT));
        if (layout.isGpuExtension()) {
            argv.add("--driver-root=" + layout.driverRoot());
            argv.add("--dev-root=/");
            argv.add("--nvidia-cdi-hook-path=" + layout.path("/bin/nvidia-cdi-hook"));
        }
        return argv;
    }
}
