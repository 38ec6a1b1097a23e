package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code modprobe <module>}: loads a kernel module in the foreground. */
final class ModprobeStep implements Step {
    /** The program; never remapped into the gpu extension. */
    static final String MODPROBE = "/sbin/modprobe";
    /** A stuck module load (a firmware request that never completes) fails the boot instead of hanging it. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String module;
    private final List<String> argv;

    ModprobeStep(String module, GuestLayout layout) {
        this.module = module;
        List<String> a = new ArrayList<>();
        a.add(MODPROBE);
        layout.modprobeDirname(module).ifPresent(dir -> {
            a.add("--dirname");
            a.add(dir);
        });
        a.add(module);
        this.argv = List.copyOf(a);
    }

    @Override
    public String name() {
        return "modprobe " + module;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), argv).with("timeout_s", TIMEOUT.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().processes().run(Command.of(name(), argv), TIMEOUT);
    }
}
