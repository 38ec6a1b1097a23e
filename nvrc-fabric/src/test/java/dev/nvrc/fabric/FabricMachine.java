package dev.nvrc.fabric;

import static dev.nvrc.fabric.InfinibandFixture.SM_ALLOWED;
import static dev.nvrc.fabric.InfinibandFixture.SM_DISABLED;
import static dev.nvrc.fabric.InfinibandFixture.gid;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.FakeProcessRunner;
import dev.nvrc.testkit.RunningWalk;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A fixture VM for the fabric flows: the shipped configs, {@code /run}, three InfiniBand devices
 * (the first in byte order SM-disabled) and fake ports on which Fabric Manager logs its marker
 * when started.
 */
final class FabricMachine {
    /** The GUID the fixture's usable port has. */
    static final String GUID = "0x0002c90300297de1";

    final SysfsFixture sysfs;
    final FakePorts fakes = new FakePorts();

    /** How a run of the steps ended: the failed step's name and failure, or nulls. */
    record Outcome(String failedStep, BootFailure failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    private FabricMachine(Path root, boolean extension) {
        this.sysfs = SysfsFixture.at(root);
        String prefix = extension ? "run/kata-extensions/gpu/" : "";
        sysfs.file(prefix + "usr/share/nvidia/nvswitch/fabricmanager.cfg", FabricManagerConfigTest.resource("nvidia-default.cfg"))
                .text(prefix + "usr/share/nvidia/nvlsm/nvlsm.conf", "# nvlsm test config\n")
                .dir("run");
        InfinibandFixture.in(sysfs)
                .device("mlx5_0", SM_DISABLED, gid("aaaa:aaaa:aaaa:aaaa"))
                .device("mlx5_10", SM_ALLOWED, gid("0002:c903:0029:7de1"))
                .device("mlx5_2", SM_ALLOWED, gid("bbbb:bbbb:bbbb:bbbb"));
        fakes.processes.whenStarted(FabricSteps.FABRIC_MANAGER, d -> fakes.syslog.log(FabricSteps.FM_MARKER));
    }

    /** A monolithic image. */
    static FabricMachine baseImage(Path root) {
        return new FabricMachine(root, false);
    }

    /** A composable image with the gpu extension mounted. */
    static FabricMachine withGpuExtension(Path root) {
        return new FabricMachine(root, true);
    }

    Path root() {
        return sysfs.root();
    }

    /**
     * Walks {@code fabric} as the boot does (each step run, the port GUID decided on this machine),
     * stopping at the first failure.
     */
    Outcome run(FabricSteps fabric, BootConfig config) {
        RunningWalk walk = new RunningWalk(fakes.context(config, sysfs.paths()));
        try {
            fabric.walk(walk);
        } catch (BootFailure e) {
            return new Outcome(walk.current(), e);
        }
        return new Outcome(null, null);
    }

    /** Every program run or started, one per line: {@code RUN|START <argv>}. */
    String argvLines() {
        return fakes.processes.calls().stream()
                .map(c -> (c.kind() == FakeProcessRunner.Call.Kind.RUN ? "RUN " : "START ") + c.command().commandLine())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
