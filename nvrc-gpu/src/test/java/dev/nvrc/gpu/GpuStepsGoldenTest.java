package dev.nvrc.gpu;

import dev.nvrc.core.cmdline.ConfComputeReadyState;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.topology.TopologyReader;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.GoldenFile;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact plan and command sequence (argv and environment) of the GPU mode for each
 * configuration, from a sysfs fixture through the topology reader to the fake ports, compared
 * with {@code src/test/resources/golden/gpu/<scenario>.txt}.
 */
class GpuStepsGoldenTest {
    @TempDir
    Path root;

    private void check(String scenario, String title, SysfsFixture machine, BootConfig config) throws BootFailure {
        PciTopology topology = new TopologyReader(machine.paths()).read();
        GpuSteps gpu = new GpuSteps(config, topology, GuestLayout.detect(machine.paths()));
        List<Step> steps = new ArrayList<>();
        // The launcher's order without the fabric and CDI steps, which other modules provide.
        steps.addAll(gpu.drivers());
        steps.addAll(gpu.persistenced());
        steps.addAll(gpu.clocksAndPower());
        steps.addAll(gpu.dcgm());
        steps.addAll(gpu.confComputeReadyState());
        steps.addAll(gpu.health());

        FakePorts fakes = new FakePorts();
        // As the real programs: nvidia-persistenced's child logs its marker and writes its pid file,
        // then the process started exits 0; nv-hostengine -n prints its readiness line.
        fakes.persistencedAsNvidias(root).hostengineAsDcgms();
        BootContext context = fakes.context(config, machine.paths());
        for (Step step : steps) {
            step.run(context);
        }
        GoldenFile.assertMatches("golden/gpu/" + scenario + ".txt",
                Transcript.render(title + " (" + topology.summary() + ")", steps, fakes.processes));
    }

    @Test
    void oneGpuWithDefaults() throws BootFailure {
        check("one-gpu-defaults", "one GPU, empty command line", SysfsFixture.at(root).gpus(1),
                TestConfig.defaults().build());
    }

    @Test
    void twoGpusWithoutUvmPersistence() throws BootFailure {
        check("two-gpus-no-uvm-persistence", "nvrc.uvm.persistence.mode=off", SysfsFixture.at(root).gpus(2),
                TestConfig.defaults().uvmPersistence(false).build());
    }

    @Test
    void eightGpusWithEverySetting() throws BootFailure {
        check("eight-gpus-all-settings",
                "nvrc.smi.lgc=1500 nvrc.smi.lmc=5001 nvrc.smi.pl=300 nvrc.smi.srs=enabled nvrc.dcgm=on",
                SysfsFixture.at(root).gpus(8),
                TestConfig.defaults().lgc(1500).lmc(5001).pl(300).srs(ConfComputeReadyState.READY).dcgm(true).build());
    }

    @Test
    void sixteenGpusWithDcgmAndATimeout() throws BootFailure {
        check("sixteen-gpus-dcgm", "nvrc.dcgm=on nvrc.timeout.nvidia-persistenced=600",
                SysfsFixture.at(root).gpus(16),
                TestConfig.defaults().dcgm(true).timeout(GpuSteps.NVIDIA_PERSISTENCED, java.time.Duration.ofSeconds(600))
                        .build());
    }

    @Test
    void gpuExtensionRemapsProgramsAndModules() throws BootFailure {
        check("gpu-extension", "gpu extension mounted; nvrc.smi.pl=250 nvrc.smi.srs=disabled nvrc.dcgm=on",
                SysfsFixture.at(root).gpus(1).dir("run/kata-extensions/gpu"),
                TestConfig.defaults().pl(250).srs(ConfComputeReadyState.NOT_READY).dcgm(true).build());
    }

    @Test
    void onlyTheSetClockAndTheReadyState() throws BootFailure {
        check("lgc-and-srs", "nvrc.smi.lgc=1980 nvrc.smi.srs=1",
                SysfsFixture.at(root).gpus(2), TestConfig.defaults().lgc(1980).srs(ConfComputeReadyState.READY).build());
    }

    @Test
    void gpusWithTheirCompanionFunctionsAndNvl4Fabric() throws BootFailure {
        SysfsFixture machine = SysfsFixture.at(root).gpus(8).nvSwitches(4)
                .pci("0000:10:00.1", "0x10de", "0x22e8", "0x040300");
        check("eight-gpus-nvl4", "8 GPUs, 4 NVSwitches, one GPU audio function; defaults", machine,
                TestConfig.defaults().build());
    }
}
