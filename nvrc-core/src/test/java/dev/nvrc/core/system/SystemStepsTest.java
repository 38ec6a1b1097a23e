package dev.nvrc.core.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.port.MountFlags;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.RecordingPorts;
import dev.nvrc.core.report.BootReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The system-setup steps: what each asks of the ports, and what the plan shows. */
class SystemStepsTest {
    @TempDir
    Path root;

    final RecordingPorts ports = new RecordingPorts();

    BootContext context() {
        return ports.context(root);
    }

    @Test
    void aMountStepMountsItsRequestAndShowsItsOptionalRule() throws Exception {
        MountStep proc = new MountStep(new MountRequest("proc", "/proc", "proc", MountFlags.MS_NOSUID, null, false));
        MountStep debug = new MountStep(new MountRequest("none", "/sys/kernel/debug", "debugfs", 0, "mode=0700", true));
        proc.run(context());
        assertThat(ports.events).containsExactly("mount proc /proc proc 0x" + Long.toHexString(MountFlags.MS_NOSUID));
        assertThat(proc.name()).isEqualTo("mount /proc");
        assertThat(proc.describe().details()).containsEntry("fstype", "proc").doesNotContainKeys("data", "optional");
        assertThat(debug.describe().details()).containsEntry("data", "mode=0700")
                .containsEntry("optional", "only if the kernel has debugfs and the target exists");
    }

    @Test
    void loopbackSysctlAndReadOnlyRootAskTheirPorts() throws Exception {
        new LoopbackStep().run(context());
        SysctlStep.of("net.core.rmem_max", "4194304").run(context());
        new ReadOnlyRootStep().run(context());
        assertThat(ports.events).containsExactly("loopback up", "sysctl net.core.rmem_max=4194304", "remount ro /");
        assertThat(new LoopbackStep().describe().details()).containsEntry("interface", "lo");
        assertThat(SysctlStep.of("k", "v").name()).isEqualTo("sysctl k");
        assertThat(SysctlStep.of("k", "v").describe().details()).containsEntry("key", "k").containsEntry("value", "v");
        assertThat(new ReadOnlyRootStep().name()).isEqualTo("read-only root");
        assertThat(new ReadOnlyRootStep().describe().details()).containsEntry("target", "/");
    }

    @Test
    void moduleLockdownLocksOrSaysTheKernelHasNoModules() throws Exception {
        BootReport report = new BootReport(() -> 1);
        ModuleLockdownStep step = new ModuleLockdownStep(report);
        step.run(context());
        assertThat(ports.events).containsExactly("sysctl kernel.modules_disabled=1");
        assertThat(report.toString()).isNotNull();
        assertThat(step.name()).isEqualTo("module lockdown");
        assertThat(step.describe().details()).containsEntry("key", "kernel.modules_disabled")
                .containsEntry("if_absent", ModuleLockdownStep.NOT_APPLICABLE);

        ports.absentKeys.add("kernel.modules_disabled");
        ports.events.clear();
        new ModuleLockdownStep(report).run(context());
        assertThat(ports.events).isEmpty();

        ports.absentKeys.clear();
        ports.failing.add("sysctl kernel.modules_disabled");
        assertThatThrownBy(() -> new ModuleLockdownStep(report).run(context())).isInstanceOf(BootFailure.class);
    }

    @Test
    void anExtraModuleIsModprobedAndItsFailureNamesNvrcModules() throws Exception {
        ExtraModuleStep step = new ExtraModuleStep("nvme_tcp", GuestLayout.baseImage());
        step.run(context());
        assertThat(ports.events).singleElement().asString().startsWith("run modprobe: ").contains("nvme_tcp");
        assertThat(step.name()).contains("nvme_tcp");
        assertThat(step.describe().details()).containsEntry("from", "nvrc.modules");

        ports.failing.add("run modprobe");
        assertThatThrownBy(() -> step.run(context())).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("cannot load module nvme_tcp (nvrc.modules): ");
    }
}
