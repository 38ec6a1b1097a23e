package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.gpu.api.CdiSpecOptions;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.FakeProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdiStepsTest {
    @TempDir
    Path root;

    private static BootConfig ctk() throws InvalidCommandLineException {
        return ConfigParser.parse("nvrc.cdi=ctk");
    }

    @Test
    void nativeStepWritesTheGeneratedSpecToVarRunCdiWithMode0644() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.twoGpuExample(root).build();
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(paths));
        FakePorts fakes = new FakePorts();

        step.run(fakes.context(BootConfig.defaults(), paths));

        Path spec = root.resolve("var/run/cdi/nvidia.json");
        assertThat(Files.readString(spec))
                .isEqualTo(CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults())));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spec))).isEqualTo("rw-r--r--");
        assertThat(fakes.processes.calls()).isEmpty();
    }

    @Test
    void nativeStepRefusesToWriteBesideASecondSpecOfTheKind() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.twoGpuExample(root).build();
        Path dir = Files.createDirectories(root.resolve("var/run/cdi"));
        Files.writeString(dir.resolve("other-vendor.json"), "{\"cdiVersion\":\"0.5.0\",\"kind\":\"example.com/nic\"}");
        Files.writeString(dir.resolve("notes.txt"), "kind: nvidia.com/gpu");
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(paths));
        step.run(new FakePorts().context(BootConfig.defaults(), paths));
        assertThat(dir.resolve("nvidia.json")).exists();

        Files.writeString(dir.resolve("nvidia.yaml"), "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\n");
        assertThatThrownBy(() -> step.run(new FakePorts().context(BootConfig.defaults(), paths)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("a second CDI spec for nvidia.com/gpu is in " + dir + ": nvidia.yaml; runtimes refuse"
                        + " devices defined twice (kata-agent then loads no spec of the directory), so nvidia.json"
                        + " is not written beside it");
    }

    @Test
    void nativeStepReportsTheHooksReleaseAndWhatItLeftOutAndThePlanSaysTheSame() throws Exception {
        CdiFixture f = CdiFixture.Machines.twoGpuExample(root);
        f.cdiHook("/usr/bin/nvidia-cdi-hook", FakeCdiHook.release("1.18.0"));
        NvrcPaths paths = f.build();
        Map<String, Object> facts = new java.util.LinkedHashMap<>();
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(paths), paths, facts::put);
        List<String> leftOut = List.of("update-application-profile (added in nvidia-container-toolkit v1.20.0;"
                + " /usr/bin/nvidia-cdi-hook is v1.18.0)");
        assertThat(step.describe().details()).containsEntry("hook_release", "1.18.0")
                .containsEntry("hooks_left_out", leftOut);

        step.run(new FakePorts().context(BootConfig.defaults(), paths));

        assertThat(facts).containsExactly(Map.entry("cdi_hook_release", "1.18.0"), Map.entry("cdi_hooks_left_out", leftOut));
        assertThat(Files.readString(root.resolve("var/run/cdi/nvidia.json")))
                .contains("disable-device-node-modification").doesNotContain("update-application-profile");
    }

    @Test
    void thePlanOfAMachineWithoutTheHookSaysWhen() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.oneGpuNoHooks(root).build();
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(paths), paths, (k, v) -> { });
        assertThat(step.describe().details().get("hooks").toString()).startsWith("none: no nvidia-cdi-hook here");
    }

    @Test
    void nativeStepDescribesBackendPathAndDriverRoot() {
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(NvrcPaths.under(root)));
        assertThat(step.name()).isEqualTo("cdi");
        assertThat(step.describe()).isEqualTo(PlanEntry.of("cdi",
                Map.of("backend", "native", "path", "/var/run/cdi/nvidia.json", "driver_root", "/")));
        assertThat(step.describe().details().keySet()).containsExactly("backend", "path", "driver_root");
    }

    @Test
    void nativeStepUsesTheKataGpuExtensionWhenItIsThere() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.kataExtensionExample(root).build();
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(paths));
        assertThat(step.describe().details()).containsEntry("driver_root", "/run/kata-extensions/gpu");

        step.run(new FakePorts().context(BootConfig.defaults(), paths));

        assertThat(Files.readString(root.resolve("var/run/cdi/nvidia.json")))
                .contains("\"hostPath\": \"/run/kata-extensions/gpu/bin/nvidia-smi\"");
    }

    @Test
    void nativeStepFailsWithTheGeneratorsReasonAndWritesNothing() {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(CdiFixture.VERSION).build();
        Step step = CdiSteps.forConfig(BootConfig.defaults(), GuestLayout.detect(paths));
        assertThatThrownBy(() -> step.run(new FakePorts().context(BootConfig.defaults(), paths)))
                .isInstanceOf(BootFailure.class).hasMessageContaining("/proc/driver/nvidia/gpus does not exist");
        assertThat(root.resolve("var/run/cdi")).doesNotExist();
    }

    @Test
    void ctkStepRunsUpstreamsArgvWithTheConfiguredTimeout() throws Exception {
        // nvidia-ctk runs for as long as nvrc.timeout says: there is no nvrc.timeout.nvidia-ctk.
        BootConfig config = ConfigParser.parse("nvrc.cdi=ctk nvrc.timeout=42");
        assertThatThrownBy(() -> ConfigParser.parse("nvrc.timeout.nvidia-ctk=42"))
                .isInstanceOf(InvalidCommandLineException.class);
        NvrcPaths paths = NvrcPaths.under(root);
        Step step = CdiSteps.forConfig(config, GuestLayout.detect(paths));
        FakePorts fakes = new FakePorts();

        step.run(fakes.context(config, paths));

        List<String> argv = List.of("/bin/nvidia-ctk", "-d", "cdi", "generate", "--output=/var/run/cdi/nvidia.yaml");
        assertThat(fakes.processes.calls()).singleElement().satisfies(call -> {
            assertThat(call.kind()).isEqualTo(FakeProcessRunner.Call.Kind.RUN);
            assertThat(call.command().name()).isEqualTo("nvidia-ctk");
            assertThat(call.command().argv()).isEqualTo(argv);
        });
        assertThat(step.name()).isEqualTo("cdi");
        assertThat(step.describe().argv()).isEqualTo(argv);
        assertThat(step.describe().details())
                .containsExactly(Map.entry("runs", "foreground"), Map.entry("backend", "ctk"),
                        Map.entry("path", "/var/run/cdi/nvidia.yaml"), Map.entry("timeout_s", 42L));
    }

    @Test
    void ctkStepWithTheKataGpuExtensionAddsUpstreamsFlags() throws Exception {
        Files.createDirectories(root.resolve("run/kata-extensions/gpu"));
        BootConfig config = ctk();
        NvrcPaths paths = NvrcPaths.under(root);
        FakePorts fakes = new FakePorts();

        CdiSteps.forConfig(config, GuestLayout.detect(paths)).run(fakes.context(config, paths));

        assertThat(fakes.processes.argvs()).containsExactly(List.of(
                "/run/kata-extensions/gpu/bin/nvidia-ctk", "-d", "cdi", "generate", "--output=/var/run/cdi/nvidia.yaml",
                "--driver-root=/run/kata-extensions/gpu", "--dev-root=/",
                "--nvidia-cdi-hook-path=/run/kata-extensions/gpu/bin/nvidia-cdi-hook"));
        assertThat(CdiSteps.forConfig(config, GuestLayout.detect(paths)).describe().details())
                .containsEntry("timeout_s", BootConfig.DEFAULT_TIMEOUT.toSeconds());
    }

    @Test
    void ctkStepFailureIsTheBootFailure() throws Exception {
        BootConfig config = ctk();
        NvrcPaths paths = NvrcPaths.under(root);
        FakePorts fakes = new FakePorts();
        fakes.processes.failing("nvidia-ctk", ExitStatus.exited(1));
        assertThatThrownBy(() -> CdiSteps.forConfig(config, GuestLayout.detect(paths)).run(fakes.context(config, paths)))
                .isInstanceOf(BootFailure.class).hasMessageContaining("nvidia-ctk");
    }
}
