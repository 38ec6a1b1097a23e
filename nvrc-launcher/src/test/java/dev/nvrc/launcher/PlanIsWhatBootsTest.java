package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.launcher.boot.Boot;
import dev.nvrc.plan.FakeBootMachine;
import dev.nvrc.plan.api.GuestPlan;
import dev.nvrc.plan.api.PlannedStep;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nvrc plan --json} for a fixture tree is, entry for entry and detail for detail, what the
 * real {@link Boot} runs against fakes on the same tree, and so is the library's {@link GuestPlan}:
 * one builder serves all three.
 */
class PlanIsWhatBootsTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "gpu-nvswitch", "nvl4-service-vm", "gpu-extension"})
    void thePrintedPlanIsTheStepsTheBootRuns(String machine) throws Exception {
        String cmdline = "nvrc.dcgm=on nvrc.smi.lgc=1980 nvrc.smi.srs=1 nvrc.cdi=ctk nvrc.log=debug";
        SysfsFixture tree = SysfsFixture.at(root);
        switch (machine) {
            case "cpu" -> {
                tree.dir("sys"); // a tree the library accepts: it has /sys
                cmdline = "nvrc.mode=cpu";
            }
            case "gpu" -> tree.gpus(2);
            case "gpu-extension" -> tree.gpus(1).dir("run/kata-extensions/gpu");
            case "gpu-nvswitch" -> tree.gpus(8).nvSwitches(4)
                    .text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=1\n").dir("run");
            case "nvl4-service-vm" -> {
                tree.nvSwitches(4).text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=0\n").dir("run");
                cmdline = "";
            }
            default -> throw new IllegalArgumentException(machine);
        }
        FakeBootMachine fake = new FakeBootMachine(tree, cmdline); // the image's kata-agent included
        CliTest.Result printed = CliTest.run("plan", "--cmdline", cmdline, "--root", root.toString(), "--json");
        assertThat(printed.err()).isEmpty();
        assertThat(printed.status()).isZero();

        fake.fakes.persistencedAsNvidias(root).hostengineAsDcgms();
        fake.fakes.processes.whenStarted("nv-fabricmanager", d -> fake.fakes.syslog.log("FM starting NvLink Inband"));
        Boot boot = new Boot(fake.machine());
        boot.boot(0);
        assertThat(fake.fakes.init.replaced()).isTrue();
        List<PlanEntry> ran = boot.stepsRun().stream().map(Step::describe).toList();

        ObjectMapper json = new ObjectMapper();
        JsonNode plan = json.readTree(printed.out());
        assertThat(plan).hasSizeGreaterThan(20);
        assertThat(json.readTree(PlanCommand.toJson(ran))).isEqualTo(plan);

        // The library's plan is the same data, value for value, and its JSON the printed text.
        GuestPlan api = GuestPlan.of(cmdline, root);
        assertThat(api.toJson() + "\n").isEqualTo(printed.out());
        assertThat(api.steps()).extracting(PlannedStep::name).isEqualTo(ran.stream().map(PlanEntry::step).toList());
        assertThat(api.steps()).extracting(PlannedStep::argv).isEqualTo(ran.stream().map(PlanEntry::argv).toList());
        assertThat(api.steps()).extracting(PlannedStep::details)
                .isEqualTo(ran.stream().map(e -> (Object) e.details()).toList());
        assertThat(api.mode().mode().canonical()).isEqualTo(boot.report().toMap().get("mode"));
        assertThat(api.layout()).isEqualTo(boot.report().toMap().get("layout"));
    }
}
