package dev.nvrc.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.testkit.RunningWalk;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk as a boot takes it, here without the launcher's runner: every decision decided and
 * applied, every step run against the testkit's fakes, in the order the plan lists them, ending
 * in the handoff's execve, with the report and the kernel log the boot leaves.
 */
class BootPlanWalkTest {
    @TempDir
    Path root;

    /** Walks {@code plan} as a boot does, without the runner's timing; returns the names it took. */
    private static List<String> walk(BootPlan plan, FakeBootMachine fake) throws BootFailure {
        RunningWalk walk = new RunningWalk(new BootContext(BootConfig.defaults(), fake.tree.paths(), fake.fakes.ports(),
                new TrackedDaemons()));
        plan.walk(BootPlan.PROC_CMDLINE, walk);
        return walk.taken();
    }

    @Test
    void aGpuBootTakesThePreviewsStepsAndHandsOff() throws Exception {
        String cmdline = "nvrc.dcgm=on nvrc.smi.lgc=1980 nvrc.log=info nvrc.cdi=ctk"; // ctk: no driver files needed
        FakeBootMachine fake = new FakeBootMachine(SysfsFixture.at(root).gpus(2), cmdline);
        fake.fakes.persistencedAsNvidias(root).hostengineAsDcgms();
        BootReport report = new BootReport(fake.clock::get);
        BootOutcome outcome = new BootOutcome();

        List<String> taken = walk(new BootPlan(fake.machine(), report, outcome), fake);

        assertThat(taken).isEqualTo(BootPlan.preview(cmdline, fake.tree.paths()).entries().stream()
                .map(PlanEntry::step).toList());
        assertThat(outcome.state()).isEqualTo(BootOutcome.State.HANDED_OFF);
        assertThat(fake.fakes.init.replaced()).isTrue();
        assertThat(fake.fakes.syslog.socketEvents()).containsExactly("bind /dev/log", "release");
        assertThat(fake.kmsg).contains("(kmsg)", "nvrc: nvrc version=test sha256=" + FakeBootMachine.SHA256)
                .anySatisfy(l -> assertThat(l).startsWith("nvrc: mode gpu (detected): 2 GPU, 0 NVSwitch"));
        assertThat(report.toMap()).containsEntry("mode", "gpu").containsEntry("mode_detected", true)
                .containsEntry("sha256", FakeBootMachine.SHA256).containsEntry("layout", "base image")
                .containsEntry("topology", "2 GPU, 0 NVSwitch, 0 SW_MNG NIC").containsKey("jvm_peak_rss_kb");
        Path written = root.resolve("run/nvrc/boot.json");
        assertThat(Files.readString(written)).isEqualTo(BootReportFile.toJson(report) + "\n")
                .contains("\"result\" : \"handoff\"", "\"name\" : \"nvidia-persistenced\"", "\"ready_ms\" : ");
    }

    @Test
    void aServiceVmRecordsItsFabric() throws Exception {
        SysfsFixture tree = SysfsFixture.at(root).nvSwitches(4)
                .text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=0\n").dir("run");
        FakeBootMachine fake = new FakeBootMachine(tree, "");
        fake.fakes.processes.whenStarted("nv-fabricmanager", d -> fake.fakes.syslog.log("FM starting NvLink Inband"));
        BootReport report = new BootReport(fake.clock::get);

        walk(new BootPlan(fake.machine(), report, new BootOutcome()), fake);

        assertThat(report.toMap()).containsEntry("mode", "nvswitch-nvl4").containsEntry("nvlink", "nvl4");
        assertThat(fake.fakes.init.replaced()).isTrue();
    }

    @Test
    void aJarThatCannotBeHashedFailsTheCommandLineStep() throws Exception {
        FakeBootMachine fake = new FakeBootMachine(SysfsFixture.at(root), "nvrc.mode=cpu");
        BootMachine real = fake.machine();
        BootMachine unhashable = new BootMachine(real.paths(), real.ports(), real.log(), real.clockMs(),
                real.environment(), real.mounts(), real.uncaughtHandler(), real.park(), new BootMachine.Identity() {
                    @Override
                    public String version() {
                        return "test";
                    }

                    @Override
                    public String sha256() throws java.io.IOException {
                        throw new java.io.IOException("/usr/lib/nvrc/nvrc.jar: permission denied");
                    }
                });
        BootPlan plan = new BootPlan(unhashable, new BootReport(fake.clock::get), new BootOutcome());

        assertThatThrownBy(() -> walk(plan, fake)).isInstanceOf(BootFailure.class)
                .hasMessage("cannot hash the running nvrc jar: /usr/lib/nvrc/nvrc.jar: permission denied");
    }

    @Test
    void aHandoffThatLostToAFailureDoesNotExecve() throws Exception {
        FakeBootMachine fake = new FakeBootMachine(SysfsFixture.at(root), "nvrc.mode=cpu");
        BootOutcome outcome = new BootOutcome();
        assertThat(outcome.claimFailure()).isTrue();

        assertThatThrownBy(() -> walk(new BootPlan(fake.machine(), new BootReport(fake.clock::get), outcome), fake))
                .isInstanceOf(BootFailure.class).hasMessage("a failure was decided before the handoff");
        assertThat(fake.fakes.init.replaced()).isFalse();
    }
}
