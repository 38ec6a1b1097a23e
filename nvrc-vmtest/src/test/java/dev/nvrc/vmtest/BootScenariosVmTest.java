package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boot image boots a real kernel under QEMU in every mode, with the simulated NVIDIA tools and
 * the stub kata-agent, which checks what it was handed. One VM at a time (2 cores under TCG).
 * Hardware the VM cannot have (GPUs, NVSwitches, SW_MNG NICs) comes from the fixtures the test
 * pre-init lays over sysfs (src/main/guest/pre-init); nvrc itself runs unchanged.
 */
class BootScenariosVmTest {
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final String PRE_INIT = "rdinit=/usr/lib/nvrc-vmtest/pre-init";
    static final String GPU0 = "GPU-00000000-1111-2222-3333-444444444444";
    static final String GPU1 = "GPU-00000001-1111-2222-3333-444444444444";
    /** The port GUID of the first SW_MNG InfiniBand device of the sw-mng4 fixture. */
    static final String PORT_GUID = "0x0002c90300297de0";
    /** The port GUID of the b200-partial fixture's marked bridge function 0000:c0:00.0 (mlx5_2). */
    static final String B200_BRIDGE_GUID = "0xa088c20300b2c000";

    private static Vm vm;

    @BeforeAll
    static void vm() {
        vm = VmAvailability.vmOrSkip();
    }

    private static VmRun boot(String name, String cmdline) {
        VmRun run = vm.run(name, cmdline, TIMEOUT);
        System.out.println(name + ": " + run);
        return run;
    }

    private static void assertHandedOff(VmRun run) {
        assertThat(run.outcome()).as("%s%n%s", run, run.console()).isEqualTo(Outcome.HANDOFF_OK);
        assertThat(run.agentChecks()).as(run.console()).containsKeys("pid1", "oom_score_adj", "rlimit_nofile",
                "root_readonly", "modules_disabled", "module_load_refused", "no_jvm", "drainer", "drainer_throughput",
                "drainer_alive", "boot_report");
        assertThat(run.bootJson()).as(run.console()).isPresent();
    }

    /** INIT_FAILED, and the console has the failure line exactly as the contract says, once. */
    private static void assertInitFailed(VmRun run) {
        assertThat(run.outcome()).as("%s%n%s", run, run.console()).isEqualTo(Outcome.INIT_FAILED);
        assertThat(Pattern.compile("(?m)^\\[\\s*\\d+\\.\\d+\\] nvrc: FAILED [^:\\n]+: ").matcher(run.console()).results().count())
                .as("one '[time] nvrc: FAILED <step>: <reason>' line in:%n%s", run.console()).isEqualTo(1);
    }

    /** The tools nvrc ran, without the kernel's own module requests ({@code modprobe -q -- ...}). */
    private static List<String> toolCalls(VmRun run) {
        return run.nvsimCalls().stream().filter(c -> !c.startsWith("modprobe -q -- ")).toList();
    }

    @Test
    void theStubReportsAJvmThatCannotStartAndPowersOff() {
        VmRun run = boot("stub-no-jvm", PRE_INIT + " vmtest.break=jvm");
        assertInitFailed(run);
        assertThat(run.failedLine()).contains(
                "nvrc: FAILED init: cannot start the JVM: No such file or directory (execve /usr/lib/nvrc/jre/bin/nvrc)");
    }

    @Test
    void cpuModeIsDetectedAndHandsOffWithNoGpuWork() {
        VmRun run = boot("cpu", "agent.expect_devices=none agent.expect_daemons=none");
        assertHandedOff(run);
        assertThat(run.bootJson().orElseThrow()).contains("\"cpu\"");
        assertThat(toolCalls(run)).isEmpty();
    }

    @Test
    void gpuModeIsDetectedFromOneGpu() {
        VmRun run = boot("gpu", PRE_INIT + " vmtest.fixture=gpu1 agent.expect_devices=0," + GPU0 + ",all"
                + " agent.expect_daemons=nvidia-persistenced");
        assertHandedOff(run);
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia NVreg_NvLinkDisable=1", "modprobe nvidia-uvm",
                "nvidia-persistenced --verbose --uvm-persistence-mode");
        assertThat(run.console()).contains("AGENT-CHECK cdi_nodes ok 7 node entries, 0 unlike /dev");
    }

    @Test
    void eightGpusWithTheDriversNodeModeGetASpecWhoseNodesAreTheGuestsNodes() {
        StringBuilder devices = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            devices.append(i).append(",GPU-0000000").append(i).append("-1111-2222-3333-444444444444,");
        }
        VmRun run = boot("gpu8", PRE_INIT + " vmtest.fixture=gpu8 agent.expect_devices=" + devices + "all"
                + " agent.expect_daemons=nvidia-persistenced");
        assertHandedOff(run);
        // The agent compared every node entry (8 GPUs in their devices and in "all", the shared
        // nodes) with /dev: major, minor and the 0660 mode of NVreg_DeviceFileMode=0660.
        assertThat(run.agentChecks()).as(run.console()).containsKey("cdi_nodes");
        assertThat(run.console()).contains("AGENT-CHECK cdi_nodes ok 28 node entries, 0 unlike /dev")
                .contains("\"fileMode\": 432");
    }

    @Test
    void gpuModeWithDcgmAndEveryNvidiaSmiSetting() {
        VmRun run = boot("gpu-dcgm-smi", PRE_INIT + " vmtest.fixture=gpu2 nvrc.mode=gpu nvrc.dcgm=on nvrc.smi.lgc=1980"
                + " nvrc.smi.lmc=2619 nvrc.smi.pl=700 nvrc.smi.srs=1 nvrc.uvm.persistence.mode=off"
                + " agent.expect_devices=0," + GPU0 + ",1," + GPU1 + ",all"
                + " agent.expect_daemons=nvidia-persistenced,nv-hostengine,dcgm-exporter");
        assertHandedOff(run);
        // One DCGM: nv-hostengine in the foreground, awaited on its readiness line, then the
        // exporter connected to it. nvsim's exporter exits 1 when -r finds no hostengine (and
        // refuses an embedded DCGM beside one), so an exporter the agent sees running is connected.
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia", "modprobe nvidia-uvm",
                "nvidia-persistenced --verbose", "nvidia-smi -lmc 2619", "nvidia-smi -lgc 1980", "nvidia-smi -pl 700",
                "nv-hostengine -n --service-account nvidia-dcgm --home-dir /tmp --pid /run/nvhostengine.pid"
                        + " --log-filename /run/nv-hostengine.log",
                "dcgm-exporter -k -f /etc/dcgm-exporter/default-counters.csv -r localhost:5555",
                "nvidia-smi conf-compute -srs 1");
        String report = run.bootJson().orElseThrow();
        assertThat(report.indexOf("\"step\" : \"nv-hostengine\"")).as(report).isPositive()
                .isLessThan(report.indexOf("\"step\" : \"dcgm-exporter\""));
    }

    @Test
    void aHostengineThatFailsStopsTheBootNamingIt() {
        VmRun run = boot("dcgm-hostengine-fails", PRE_INIT + " vmtest.fixture=gpu1 nvrc.dcgm=on nvsim.crash=nv-hostengine");
        assertInitFailed(run);
        // The readiness wait and the reaper's failure report race to say it first: either wording.
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l)
                .matches("nvrc: FAILED nv-hostengine: nv-hostengine \\(pid \\d+\\) ended (during the boot|before logging"
                        + " \"Started host engine version\"): exit code 255; last lines: .*")
                .contains("DCGM engine failed to initialize"));
        assertThat(toolCalls(run)).noneMatch(c -> c.startsWith("dcgm-exporter"));
    }

    @Test
    void aPersistencedDaemonThatDiesAfterItsParentExitedStopsTheBoot() {
        VmRun run = boot("persistenced-dies", PRE_INIT + " vmtest.fixture=gpu1 nvsim.die=nvidia-persistenced"
                + " nvsim.die_ms=0");
        assertInitFailed(run);
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l)
                .matches("nvrc: FAILED [^:]+: nvidia-persistenced \\(pid \\d+\\) ended during the boot: exit code 1; .*")
                .contains("simulated death after readiness"));
    }

    @Test
    void anA100ServiceVmHandsOffWithoutTheInbandLine() {
        VmRun run = boot("nvswitch-nvl3", PRE_INIT + " vmtest.fixture=nvswitch3 nvrc.mode=nvswitch-nvl4 nvsim.fm_nvlink=3"
                + " agent.expect_devices=none agent.expect_daemons=nv-fabricmanager");
        assertHandedOff(run);
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia", "nv-fabricmanager -c /run/fabricmanager.cfg");
        assertThat(run.bootJson().orElseThrow()).contains("\"nvlink\" : \"nvl3\"");
    }

    @Test
    void aShippedFabricManagerConfigWithLogLevel1StillBoots() {
        VmRun run = boot("nvswitch-nvl4-loglevel1", PRE_INIT + " vmtest.fixture=nvswitch4 nvrc.mode=nvswitch-nvl4"
                + " vmtest.fm_log_level=1 agent.expect_devices=none agent.expect_daemons=nv-fabricmanager");
        assertHandedOff(run);
        assertThat(run.console()).contains("pre-init: shipped Fabric Manager config: LOG_LEVEL=1");
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia", "nv-fabricmanager -c /run/fabricmanager.cfg");
    }

    @Test
    void nvswitchNvl4ServiceVmRunsFabricManager() {
        VmRun run = boot("nvswitch-nvl4", PRE_INIT + " vmtest.fixture=nvswitch4 nvrc.mode=nvswitch-nvl4"
                + " agent.expect_devices=none agent.expect_daemons=nv-fabricmanager");
        assertHandedOff(run);
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia", "nv-fabricmanager -c /run/fabricmanager.cfg");
    }

    @Test
    void nvswitchNvl5ServiceVmRunsNvlsmAndFabricManagerWithThePortGuid() {
        VmRun run = boot("nvswitch-nvl5", PRE_INIT + " vmtest.fixture=sw-mng4 nvrc.mode=nvswitch-nvl5"
                + " agent.expect_devices=none agent.expect_daemons=nvlsm,nv-fabricmanager");
        assertHandedOff(run);
        assertThat(toolCalls(run)).containsExactly("modprobe ib_umad", "modprobe mlx5_ib",
                "nvlsm -F /usr/share/nvidia/nvlsm/nvlsm.conf -g " + PORT_GUID + " -f stdout",
                "nv-fabricmanager -c /run/fabricmanager.cfg -g " + PORT_GUID);
        assertThat(fabricManagerConfig(run)).containsPattern("(?m)^FABRIC_MODE=1$")
                .containsPattern("(?m)^PARTITION_RAIL_POLICY=symmetric$").doesNotContainPattern("(?m)^FABRIC_MODE=0$");
    }

    /**
     * A GPU VM of an HGX B200 that got part of the board, without nvrc.mode: 2 Blackwell GPUs, the
     * ConnectX-7 bridge slot of the NVLink 5 fabric (.0 marked SMDL=SW_MNG, .1 its unmarked
     * sibling, both counted) and a compute ConnectX-7 whose port allows a subnet manager and is
     * first by PCI address and by name (not counted, not chosen). Detected gpu mode brings up
     * NVLink 5 between the driver loads and nvidia-persistenced: NVLSM and Fabric Manager
     * (FABRIC_MODE=0, symmetric) on the bridge's first port by PCI address (mlx5_2 at c0:00.0,
     * although mlx5_1 at c0:00.1 comes first by name); the driver is loaded without
     * NVreg_NvLinkDisable (the GPUs have NVLink peers).
     */
    @Test
    void gpuModeIsDetectedOnAPartialB200AndBringsUpNvLink5OnTheBridgePort() {
        VmRun run = boot("gpu-b200-partial", PRE_INIT + " vmtest.fixture=b200-partial"
                + " agent.expect_devices=0," + GPU0 + ",1," + GPU1 + ",all"
                + " agent.expect_daemons=nvidia-persistenced,nvlsm,nv-fabricmanager");
        assertHandedOff(run);
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia", "modprobe nvidia-uvm", "modprobe ib_umad",
                "modprobe mlx5_ib", "nvlsm -F /usr/share/nvidia/nvlsm/nvlsm.conf -g " + B200_BRIDGE_GUID + " -f stdout",
                "nv-fabricmanager -c /run/fabricmanager.cfg -g " + B200_BRIDGE_GUID,
                "nvidia-persistenced --verbose --uvm-persistence-mode");
        String report = run.bootJson().orElseThrow();
        assertThat(report).contains("\"mode\" : \"gpu\"", "\"mode_detected\" : true", "\"nvlink\" : \"nvl5\"",
                "\"topology\" : \"2 GPU, 0 NVSwitch, 2 SW_MNG NIC\"", "\"board\" : \"HGX B200/B300 (Bx00)\"");
        assertThat(fabricManagerConfig(run)).containsPattern("(?m)^FABRIC_MODE=0$")
                .containsPattern("(?m)^PARTITION_RAIL_POLICY=symmetric$").doesNotContainPattern("(?m)^FABRIC_MODE=1$");
    }

    /** /run/fabricmanager.cfg as the agent printed it. */
    private static String fabricManagerConfig(VmRun run) {
        return run.section("FM-CONFIG-BEGIN", "FM-CONFIG-END").orElseThrow(
                () -> new AssertionError("no /run/fabricmanager.cfg in:\n" + run.console()));
    }

    /**
     * nvrc.uvm.tools=on on the gpu1-uvm fixture, which has no /dev/nvidia-uvm-tools and whose
     * /proc/devices gives nvidia-uvm major 508 (not the usual 510: the number is read, not
     * assumed): nvrc makes the node c 508:1, mode 0666, right after
     * nvidia-uvm is loaded, and the CDI spec (written later) lists it (the agent checks both).
     */
    @Test
    void uvmToolsNodeIsMadeFromNvidiaUvmsMajorAndListedInTheCdiSpec() {
        VmRun run = boot("uvm-tools", PRE_INIT + " vmtest.fixture=gpu1-uvm nvrc.uvm.tools=on agent.expect_uvm_tools=508:1"
                + " agent.expect_devices=0," + GPU0 + ",all agent.expect_daemons=nvidia-persistenced");
        assertHandedOff(run);
        assertThat(run.agentChecks()).as(run.console()).containsKeys("uvm_tools", "uvm_tools_cdi");
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia NVreg_NvLinkDisable=1", "modprobe nvidia-uvm",
                "nvidia-persistenced --verbose --uvm-persistence-mode");
        String report = run.bootJson().orElseThrow();
        int uvm = report.indexOf("\"step\" : \"modprobe nvidia-uvm\"");
        int tools = report.indexOf("\"step\" : \"nvidia-uvm-tools\"");
        assertThat(uvm).as(report).isPositive();
        assertThat(tools).as(report).isGreaterThan(uvm).isLessThan(report.indexOf("\"step\" : \"nvidia-persistenced\""));
    }

    /** The same fixture without nvrc.uvm.tools: no node is made and the CDI spec does not list one. */
    @Test
    void uvmToolsNodeIsNotMadeWithoutNvrcUvmTools() {
        VmRun run = boot("uvm-tools-off", PRE_INIT + " vmtest.fixture=gpu1-uvm agent.expect_uvm_tools=absent"
                + " agent.expect_devices=0," + GPU0 + ",all agent.expect_daemons=nvidia-persistenced");
        assertHandedOff(run);
        assertThat(run.agentChecks()).as(run.console()).containsKeys("uvm_tools", "uvm_tools_cdi");
        assertThat(run.bootJson().orElseThrow()).doesNotContain("nvidia-uvm-tools");
    }

    /** gpu1-uvm-exists has /dev/nvidia-uvm-tools already (its dev.list): nvrc.uvm.tools refuses to trust it and stops. */
    @Test
    void uvmToolsStopsTheBootWhenTheNodeExistsAlready() {
        VmRun run = boot("uvm-tools-exists", PRE_INIT + " vmtest.fixture=gpu1-uvm-exists nvrc.uvm.tools=on");
        assertInitFailed(run);
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l)
                .startsWith("nvrc: FAILED nvidia-uvm-tools: ").contains("/dev/nvidia-uvm-tools c 508 1").contains("EEXIST"));
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia NVreg_NvLinkDisable=1", "modprobe nvidia-uvm");
    }

    /**
     * nvrc.modules loads a real module of the guest kernel (dummy, carried by the initramfs with
     * its modules.dep) through the guest's modprobe, after the NVIDIA modules and before the
     * lockdown; the agent finds it in /proc/modules. nvrc's first log line names the jar it runs.
     */
    @Test
    void extraModulesAreReallyLoadedBeforeTheLockdownAndTheFirstLineNamesTheJar() throws Exception {
        String module = GuestModules.orSkip(vm);
        VmRun run = boot("modules", PRE_INIT + " vmtest.fixture=gpu1 loglevel=7 nvrc.log=info nvrc.modules=" + module
                + " nvsim.real_modules=" + module + " agent.expect_modules=" + module
                + " agent.expect_daemons=nvidia-persistenced");
        assertHandedOff(run);
        assertThat(run.agentChecks()).containsKey("modules_loaded");
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia NVreg_NvLinkDisable=1", "modprobe nvidia-uvm",
                "nvidia-persistenced --verbose --uvm-persistence-mode", "modprobe " + module);
        String report = run.bootJson().orElseThrow();
        assertThat(report.indexOf("\"step\" : \"modprobe " + module + "\"")).as(report).isPositive()
                .isLessThan(report.indexOf("\"step\" : \"module lockdown\""));
        // The first line nvrc logs: version and the sha256 of the jar, the one the image ships.
        Matcher first = Pattern.compile("(?m)^\\[\\s*\\d+\\.\\d+\\] nvrc: (.*)$").matcher(run.console());
        assertThat(first.find()).as(run.console()).isTrue();
        assertThat(first.group(1)).matches("nvrc version=\\S+ sha256=[0-9a-f]{64}");
        String sha = first.group(1).replaceFirst(".*sha256=", "");
        assertThat(report).contains("\"sha256\" : \"" + sha + "\"");
        java.nio.file.Path jar = java.nio.file.Path.of("../nvrc-launcher/target/nvrc.jar");
        if (java.nio.file.Files.isRegularFile(jar)) {
            assertThat(sha).isEqualTo(dev.nvrc.launcher.boot.NvrcIdentity.sha256(jar));
        }
    }

    /** nvrc.extra_modules, upstream's name of nvrc.modules, loads the real module the same way. */
    @Test
    void upstreamsExtraModulesNameLoadsTheModuleToo() {
        String module = GuestModules.orSkip(vm);
        VmRun run = boot("extra-modules", PRE_INIT + " vmtest.fixture=gpu1 nvrc.extra_modules=" + module
                + " nvsim.real_modules=" + module + " agent.expect_modules=" + module
                + " agent.expect_daemons=nvidia-persistenced");
        assertHandedOff(run);
        assertThat(run.agentChecks()).containsKey("modules_loaded");
        assertThat(toolCalls(run)).containsExactly("modprobe nvidia NVreg_NvLinkDisable=1", "modprobe nvidia-uvm",
                "nvidia-persistenced --verbose --uvm-persistence-mode", "modprobe " + module);
    }

    @Test
    void aModuleTheGuestDoesNotHavePowersOffQuotingModprobe() {
        GuestModules.orSkip(vm);
        VmRun run = boot("module-missing", PRE_INIT + " vmtest.fixture=gpu1 nvrc.modules=nvrc_no_such_module"
                + " nvsim.real_modules=nvrc_no_such_module");
        assertInitFailed(run);
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l)
                .startsWith("nvrc: FAILED modprobe nvrc_no_such_module: cannot load module nvrc_no_such_module (nvrc.modules): ")
                .contains("nvrc_no_such_module").contains("last output: modprobe: "));
        assertThat(run.console()).doesNotContain("AGENT-START");
    }

    @Test
    void aBadCommandLinePowersOffNamingTheTokenBeforeAnyGpuWork() {
        VmRun run = boot("bad-cmdline", PRE_INIT + " vmtest.fixture=gpu1 nvrc.smi.lgc=fast");
        assertInitFailed(run);
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l).startsWith("nvrc: FAILED ").contains("nvrc.smi.lgc"));
        assertThat(toolCalls(run)).isEmpty();
    }

    @Test
    void aCrashingDaemonPowersOffNamingIt() {
        VmRun run = boot("daemon-crash", PRE_INIT + " vmtest.fixture=gpu1 nvsim.crash=nvidia-persistenced");
        assertInitFailed(run);
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l).contains("nvidia-persistenced"));
    }

    @Test
    void aDaemonThatNeverBecomesReadyPowersOffAfterItsOwnTimeout() {
        VmRun run = boot("daemon-hang", PRE_INIT + " vmtest.fixture=gpu1 nvsim.hang=nvidia-persistenced"
                + " nvrc.timeout.nvidia-persistenced=5");
        assertInitFailed(run);
        assertThat(run.failedLine()).hasValueSatisfying(l -> assertThat(l).contains("nvidia-persistenced"));
        double started = kernelTime(run.console(), "NVSIM nvidia-persistenced");
        double failed = kernelTime(run.console(), "nvrc: FAILED");
        // 5 s, not the default: allow for TCG's slowness, but far below the 300 s default.
        assertThat(failed - started).as(run.console()).isBetween(4.5, 60.0);
    }

    /** The kernel timestamp of the first console line containing {@code text}. */
    static double kernelTime(String console, String text) {
        Matcher m = Pattern.compile("(?m)^\\[\\s*(\\d+\\.\\d+)\\] [^\\n]*" + Pattern.quote(text)).matcher(console);
        assertThat(m.find()).as("a kernel log line with '%s' in:%n%s", text, console).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
