package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.api.VerityParameters;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {
    private static BootConfig parse(String line) throws InvalidCommandLineException {
        return ConfigParser.parse(line);
    }

    private static List<String> problems(String line) {
        try {
            ConfigParser.parse(line);
        } catch (InvalidCommandLineException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems for: " + line);
    }

    @Test
    void emptyLineGivesTheDocumentedDefaults() throws Exception {
        BootConfig c = parse("console=ttyS0 quiet panic=-1");
        assertThat(c).isEqualTo(BootConfig.defaults());
        assertThat(c.explicitMode()).isEmpty();
        assertThat(c.log()).isEqualTo(LogLevel.OFF);
        assertThat(c.uvmPersistence()).isTrue();
        assertThat(c.dcgm()).isFalse();
        assertThat(c.lockedGpuClocks()).isEmpty();
        assertThat(c.lockedMemoryClocks()).isEmpty();
        assertThat(c.powerLimit()).isEmpty();
        assertThat(c.confComputeReadyState()).isEmpty();
        assertThat(c.fabricModeOverride()).isEmpty();
        assertThat(c.railPolicyOverride()).isEmpty();
        assertThat(c.cdi()).isEqualTo(CdiBackend.NATIVE);
        assertThat(c.readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.readinessTimeout("nv-fabricmanager")).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.extensions()).isEmpty();
        assertThat(c.modules()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"gpu,gpu", "cpu,cpu", "nvswitch-nvl4,nvswitch-nvl4", "nvswitch-nvl5,nvswitch-nvl5",
        "servicevm-nvl4,nvswitch-nvl4", "servicevm-nvl5,nvswitch-nvl5", "GPU,gpu", "NVSwitch-NVL4,nvswitch-nvl4"})
    void modesAndAliases(String value, String canonical) throws Exception {
        assertThat(parse("nvrc.mode=" + value).explicitMode().orElseThrow().canonical()).isEqualTo(canonical);
    }

    @Test
    void unknownModeNamesTheAcceptedValuesAndTheNearMiss() {
        assertThat(problems("nvrc.mode=gpus")).containsExactly(
                "nvrc.mode=gpus: expected one of gpu, cpu, nvswitch-nvl4, nvswitch-nvl5, servicevm-nvl4, "
                        + "servicevm-nvl5, did you mean gpu?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "error", "warn", "info", "debug", "trace", "DEBUG", "Info"})
    void logLevels(String value) throws Exception {
        assertThat(parse("nvrc.log=" + value).log().canonical()).isEqualTo(value.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void badLogLevelIsAnError() {
        assertThat(problems("nvrc.log=verbose")).singleElement().asString()
                .startsWith("nvrc.log=verbose: expected one of off, error, warn, info, debug, trace");
        assertThat(problems("nvrc.log=debgu")).singleElement().asString().endsWith("did you mean debug?");
    }

    @ParameterizedTest
    @CsvSource({"on,true", "off,false", "true,true", "false,false", "1,true", "0,false", "yes,true", "no,false",
        "ON,true", "Yes,true", "FALSE,false"})
    void booleans(String value, boolean expected) throws Exception {
        assertThat(parse("nvrc.dcgm=" + value).dcgm()).isEqualTo(expected);
        assertThat(parse("nvrc.uvm.persistence.mode=" + value).uvmPersistence()).isEqualTo(expected);
    }

    @Test
    void booleanFlagMeansTrue() throws Exception {
        assertThat(parse("nvrc.dcgm").dcgm()).isTrue();
        assertThat(parse("nvrc.uvm.persistence.mode=off nvrc.uvm.persistence.mode").uvmPersistence()).isTrue();
    }

    @Test
    void badBooleanNamesTheAcceptedForms() {
        assertThat(problems("nvrc.dcgm=enable")).containsExactly(
                "nvrc.dcgm=enable: expected on/off, true/false, 1/0 or yes/no");
        assertThat(problems("nvrc.dcgm=of")).singleElement().asString().endsWith("did you mean on?");
    }

    @Test
    void clocksAndPowerLimit() throws Exception {
        BootConfig c = parse("nvrc.smi.lgc=1980 nvrc.smi.lmc=2619 nvrc.smi.pl=700");
        assertThat(c.lockedGpuClocks()).hasValue(1980);
        assertThat(c.lockedMemoryClocks()).hasValue(2619);
        assertThat(c.powerLimit()).hasValue(700);
    }

    @Test
    void numberBoundariesAreInclusive() throws Exception {
        assertThat(parse("nvrc.smi.lgc=1").lockedGpuClocks()).hasValue(1);
        assertThat(parse("nvrc.smi.lgc=20000").lockedGpuClocks()).hasValue(20000);
        assertThat(parse("nvrc.smi.pl=5000").powerLimit()).hasValue(5000);
        assertThat(parse("nvrc.timeout=3600").timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(problems("nvrc.smi.lgc=20001")).hasSize(1);
        assertThat(problems("nvrc.smi.pl=5001")).hasSize(1);
        assertThat(problems("nvrc.timeout=3601")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"300W", "1.5e3", "-1", "0", "+5", "0x10", "99999999999999999999", "4294967296", " 5",
        "1_000", "١٢"})
    void malformedNumbersSayWhatFormIsExpected(String value) {
        assertThat(problems("nvrc.smi.pl=\"" + value + "\"")).singleElement().asString()
                .contains("expected a whole number of W from 1 to 5000, digits only without unit (e.g. nvrc.smi.pl=700)");
    }

    @Test
    void confComputeReadyState() throws Exception {
        assertThat(parse("nvrc.smi.srs=1").confComputeReadyState()).hasValue(ConfComputeReadyState.READY);
        assertThat(parse("nvrc.smi.srs=0").confComputeReadyState().orElseThrow().argument()).isEqualTo("0");
        assertThat(parse("nvrc.smi.srs=enabled").confComputeReadyState()).hasValue(ConfComputeReadyState.READY);
        assertThat(parse("nvrc.smi.srs=disabled").confComputeReadyState()).hasValue(ConfComputeReadyState.NOT_READY);
        assertThat(problems("nvrc.smi.srs=maybe")).singleElement().asString()
                .startsWith("nvrc.smi.srs=maybe: expected one of 1, 0, enabled, disabled");
    }

    @Test
    void fabricSettings() throws Exception {
        BootConfig c = parse("nvrc.fm.mode=0 nvrc.fm.rail.policy=Symmetric");
        assertThat(c.fabricModeOverride()).hasValue(0);
        assertThat(c.railPolicyOverride()).hasValue(RailPolicy.SYMMETRIC);
        assertThat(problems("nvrc.fm.mode=2")).containsExactly("nvrc.fm.mode=2: expected one of 0, 1");
        assertThat(problems("nvrc.fm.rail.policy=greed")).singleElement().asString().endsWith("did you mean greedy?");
    }

    @Test
    void serviceVmModesFillInTheirFabricDefaults() throws Exception {
        BootConfig nvl4 = parse("nvrc.mode=nvswitch-nvl4");
        assertThat(nvl4.fabricModeOverride()).hasValue(1);
        assertThat(nvl4.railPolicyOverride()).hasValue(RailPolicy.GREEDY);
        BootConfig nvl5 = parse("nvrc.mode=servicevm-nvl5 nvrc.fm.mode=0");
        assertThat(nvl5.fabricModeOverride()).hasValue(0);
        assertThat(nvl5.railPolicyOverride()).hasValue(RailPolicy.SYMMETRIC);
    }

    @Test
    void timeouts() throws Exception {
        BootConfig c = parse("nvrc.timeout=600 nvrc.timeout.nv-fabricmanager=900");
        assertThat(c.readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(600));
        assertThat(c.readinessTimeout("nv-fabricmanager")).isEqualTo(Duration.ofSeconds(900));
        assertThat(parse("nvrc.timeout.nvidia-persistenced=5").readinessTimeout("nvidia-persistenced"))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(problems("nvrc.timeout.persistenced=5")).singleElement().asString()
                .startsWith("nvrc.timeout.persistenced=5: unknown parameter");
    }

    @Test
    void nvHostenginesTimeoutIsItsOwnAndBoundedLikeEveryTimeout() throws Exception {
        assertThat(parse("nvrc.timeout.nv-hostengine=45").readinessTimeout("nv-hostengine")).isEqualTo(Duration.ofSeconds(45));
        assertThat(parse("nvrc.timeout=90").readinessTimeout("nv-hostengine")).isEqualTo(Duration.ofSeconds(90));
        assertThat(parse("").effectiveParameters()).containsEntry("nvrc.timeout.nv-hostengine", 300L);
        assertThat(problems("nvrc.timeout.nv-hostengine=0")).singleElement().asString()
                .startsWith("nvrc.timeout.nv-hostengine=0: ");
        // DCGM runs only in gpu mode: the key is refused aside in another explicit mode.
        assertThat(problems("nvrc.mode=cpu nvrc.timeout.nv-hostengine=45")).singleElement().asString()
                .startsWith("nvrc.timeout.nv-hostengine=45: ");
        assertThat(problems("nvrc.timeout.nv-hostengin=45")).singleElement().asString()
                .contains("did you mean nvrc.timeout.nv-hostengine");
    }

    @Test
    void persistencedWaitsTenMinutesUnlessATimeoutKeyIsGiven() throws Exception {
        assertThat(parse("").readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(600));
        assertThat(parse("").effectiveParameters()).containsEntry("nvrc.timeout.nvidia-persistenced", 600L)
                .containsEntry("nvrc.timeout", 300L);
        // nvrc.timeout is every daemon's timeout, persistenced's too, even below the 600 s default.
        assertThat(parse("nvrc.timeout=120").readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(120));
        assertThat(parse("nvrc.timeout=300").readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(300));
        assertThat(parse("nvrc.timeout=120 nvrc.timeout.nvidia-persistenced=900").readinessTimeout("nvidia-persistenced"))
                .isEqualTo(Duration.ofSeconds(900));
        assertThat(parse("nvrc.timeout.nvidia-persistenced=30").readinessTimeout("nvidia-persistenced"))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("nvrc.timeout.nv-fabricmanager=30").readinessTimeout("nvidia-persistenced"))
                .isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void modulesAreReadInOrder() throws Exception {
        assertThat(parse("nvrc.modules=dummy").modules()).containsExactly("dummy");
        assertThat(parse("nvrc.modules=vsock_loopback,9pnet,nvidia-peermem,Foo2").modules())
                .containsExactly("vsock_loopback", "9pnet", "nvidia-peermem", "Foo2");
        assertThat(parse("nvrc.modules=a nvrc.modules=b,c").modules()).containsExactly("b", "c");
        assertThat(parse("nvrc.modules=dummy").effectiveParameters()).containsEntry("nvrc.modules", List.of("dummy"));
        assertThat(parse("nvrc.mode=cpu nvrc.modules=dummy").modules()).containsExactly("dummy");
        String longest = "m".repeat(55);
        assertThat(parse("nvrc.modules=" + longest).modules()).containsExactly(longest);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nvrc.modules=dummy,,vsock | nvrc.modules=dummy,,vsock: item 2 of 3: empty module name; expected module names",
        "nvrc.modules=dummy, | nvrc.modules=dummy,: item 2 of 2: empty module name",
        "nvrc.modules=,dummy | nvrc.modules=,dummy: item 1 of 2: empty module name",
        "nvrc.modules=-r | nvrc.modules=-r: item 1 of 1 \"-r\": starts with '-' (modprobe would read it as an option)",
        "nvrc.modules=dummy.ko | nvrc.modules=dummy.ko: item 1 of 1 \"dummy.ko\": a file name, not a module name (did you mean dummy?)",
        "nvrc.modules=../evil | nvrc.modules=../evil: item 1 of 1 \"../evil\": a path, not a module name",
        "nvrc.modules=crypto-hmac(sha256) | nvrc.modules=crypto-hmac(sha256): item 1 of 1 \"crypto-hmac(sha256)\": contains '('",
        "nvrc.modules=pci:v000010DE | nvrc.modules=pci:v000010DE: item 1 of 1 \"pci:v000010DE\": contains ':'",
        "nvrc.modules=.x | nvrc.modules=.x: item 1 of 1 \".x\": starts with '.'",
        "nvrc.modules=dummy,dummy | nvrc.modules=dummy,dummy: item 2 of 2 \"dummy\": duplicate of \"dummy\"",
        "nvrc.modules=foo-bar,foo_bar | nvrc.modules=foo-bar,foo_bar: item 2 of 2 \"foo_bar\": duplicate of \"foo-bar\" (modprobe reads '-' and '_' alike)",
        "nvrc.modules= | nvrc.modules=: empty value: module names of 1 to 55",
        "nvrc.modules | nvrc.modules: needs a value: module names of 1 to 55",
        "nvrc.module=dummy | nvrc.module=dummy: unknown parameter, did you mean nvrc.modules?",
    })
    void badModuleListsNameTheTokenAndTheItem(String line, String expected) {
        assertThat(problems(line)).singleElement().asString().startsWith(expected);
    }

    @Test
    void everyBadModuleOfAListIsReportedAndTooLongNamesAreRefused() {
        assertThat(problems("nvrc.modules=a;b,,c/d")).containsExactly(
                "nvrc.modules=a;b,,c/d: item 1 of 3 \"a;b\": contains ';'; expected " + ModuleNames.RULE
                        + " (e.g. nvrc.modules=dummy,vsock)",
                "nvrc.modules=a;b,,c/d: item 2 of 3: empty module name; expected " + ModuleNames.RULE
                        + " (e.g. nvrc.modules=dummy,vsock)",
                "nvrc.modules=a;b,,c/d: item 3 of 3 \"c/d\": a path, not a module name; expected " + ModuleNames.RULE
                        + " (e.g. nvrc.modules=dummy,vsock)");
        assertThat(problems("nvrc.modules=" + "m".repeat(56))).singleElement().asString()
                .contains("longer than 55 characters");
        assertThat(problems("nvrc.modules=caf\u00e9")).singleElement().asString().contains("contains '\\u00e9'");
    }

    @Test
    void nvlsmSettleTimeIsItsOwnKeyNotATimeout() throws Exception {
        assertThat(parse("nvrc.nvlsm.settle=3").nvlsmSettle()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parse("").nvlsmSettle()).isEqualTo(Duration.ofSeconds(1));
        // Not a readiness timeout: nvrc.timeout does not set it, and it is no daemon's timeout.
        assertThat(parse("nvrc.timeout=60").nvlsmSettle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parse("nvrc.nvlsm.settle=3").daemonTimeouts()).doesNotContainKey("nvlsm");
        assertThat(parse("").effectiveParameters()).containsEntry("nvrc.nvlsm.settle", 1L);
        assertThat(parse("nvrc.nvlsm.settle=3").effectiveParameters()).containsEntry("nvrc.nvlsm.settle", 3L);
        assertThat(problems("nvrc.mode=cpu nvrc.nvlsm.settle=3")).hasSize(1);
        assertThat(problems("nvrc.nvlsm.settle=0")).singleElement().asString().startsWith("nvrc.nvlsm.settle=0: ");
    }

    @Test
    void cdiBackend() throws Exception {
        assertThat(parse("nvrc.cdi=ctk").cdi()).isEqualTo(CdiBackend.CTK);
        assertThat(parse("nvrc.cdi=NATIVE").cdi()).isEqualTo(CdiBackend.NATIVE);
        assertThat(problems("nvrc.cdi=yaml")).hasSize(1);
    }

    @Test
    void lastOccurrenceWins() throws Exception {
        assertThat(parse("nvrc.smi.lgc=1000 nvrc.smi.lgc=1500").lockedGpuClocks()).hasValue(1500);
        assertThat(parse("nvrc.dcgm=on nvrc.dcgm=off").dcgm()).isFalse();
    }

    @Test
    void everyOccurrenceOfARepeatedKeyMustBeValid() {
        assertThat(problems("nvrc.smi.lgc=abc nvrc.smi.lgc=1500")).singleElement().asString()
                .startsWith("nvrc.smi.lgc=abc:");
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        assertThat(problems("nvrc.smi.lcg=1500")).singleElement().asString()
                .startsWith("nvrc.smi.lcg=1500: unknown parameter, did you mean nvrc.smi.lgc?");
        assertThat(problems("NVRC.MODE=gpu")).singleElement().asString()
                .startsWith("NVRC.MODE=gpu: unknown parameter, did you mean nvrc.mode?");
        assertThat(problems("nvrc.frobnicate=1")).singleElement().asString()
                .startsWith("nvrc.frobnicate=1: unknown parameter (known: nvrc.mode, ");
    }

    @Test
    void keysOutsideNvrcAreIgnored() throws Exception {
        assertThat(parse("root=/dev/vda1 rw nvrcx=1 nv.mode=cpu kata.other=1 kata.extension.gpu.other=x"))
                .isEqualTo(BootConfig.defaults());
    }

    @Test
    void valueNeededAndEmptyValue() {
        assertThat(problems("nvrc.mode")).singleElement().asString().startsWith("nvrc.mode: needs a value: one of gpu");
        assertThat(problems("nvrc.smi.lgc=")).containsExactly(
                "nvrc.smi.lgc=: empty value: a whole number of MHz from 1 to 20000");
        assertThat(problems("nvrc.dcgm=\"\"")).singleElement().asString().startsWith("nvrc.dcgm=\"\": empty value");
    }

    @Test
    void quotedValues() throws Exception {
        assertThat(parse("nvrc.mode=\"cpu\"").explicitMode().orElseThrow()).isEqualTo(Mode.CPU);
        assertThat(problems("nvrc.mode=\"g pu\"")).singleElement().asString().startsWith("nvrc.mode=\"g pu\":");
    }

    @Test
    void allProblemsOfALineAreReportedInOrder() {
        assertThat(problems("nvrc.smi.lcg=1 nvrc.log=loud quiet nvrc.dcgm=maybe nvrc.smi.pl=300W"))
                .extracting(s -> s.substring(0, s.indexOf(':')))
                .containsExactly("nvrc.smi.lcg=1", "nvrc.log=loud", "nvrc.dcgm=maybe", "nvrc.smi.pl=300W");
    }

    @Test
    void gpuSettingsInCpuModeCannotBeMeant() {
        assertThat(problems("nvrc.mode=cpu nvrc.smi.lgc=1500 nvrc.dcgm=off nvrc.fm.mode=0 nvrc.cdi=ctk"))
                .containsExactly(
                        "nvrc.smi.lgc=1500: has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)",
                        "nvrc.dcgm=off: has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)",
                        "nvrc.fm.mode=0: has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)",
                        "nvrc.cdi=ctk: has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)");
    }

    @Test
    void gpuSettingsInServiceVmCannotBeMeant() {
        assertThat(problems("nvrc.mode=nvswitch-nvl4 nvrc.smi.pl=300 nvrc.timeout.nvidia-persistenced=10"))
                .hasSize(2).allMatch(s -> s.contains("has no effect in an NVSwitch service VM"));
    }

    @Test
    void fabricSettingsAreFineInServiceVm() throws Exception {
        BootConfig c = parse("nvrc.mode=nvswitch-nvl4 nvrc.fm.mode=0 nvrc.fm.rail.policy=symmetric nvrc.timeout.nv-fabricmanager=30");
        assertThat(c.fabricModeOverride()).hasValue(0);
        assertThat(c.railPolicyOverride()).hasValue(RailPolicy.SYMMETRIC);
    }

    @Test
    void greedyOnNvLink5IsRejected() {
        assertThat(problems("nvrc.mode=nvswitch-nvl5 nvrc.fm.rail.policy=greedy")).singleElement().asString()
                .contains("NVLink 5 partitions need the symmetric rail policy");
    }

    @Test
    void extensionVerityParams() throws Exception {
        BootConfig c = parse("kata.extension.gpu.verity_params=root_hash=abc,salt=00ff,data_blocks=10,"
                + "data_block_size=4096,hash_block_size=4096,ignored=1,noequals");
        assertThat(c.extensions()).containsOnlyKeys("gpu");
        assertThat(c.extensions().get("gpu")).isEqualTo(new VerityParameters("abc", "00ff", 10, 4096, 4096));
    }

    @Test
    void badExtensionParams() {
        assertThat(problems("kata.extension.../evil.verity_params=root_hash=a")).singleElement().asString()
                .contains("invalid extension name \"../evil\"");
        assertThat(problems("kata.extension.gpu.verity_params=salt=1,data_blocks=1,data_block_size=1,hash_block_size=1"))
                .singleElement().asString().endsWith("missing root_hash");
        assertThat(problems("kata.extension.gpu.verity_params=root_hash=a,salt=b,data_blocks=1,data_block_size=1"))
                .singleElement().asString().endsWith("missing or zero hash_block_size");
        assertThat(problems("kata.extension.gpu.verity_params=root_hash=a,salt=b,data_blocks=x,data_block_size=1,hash_block_size=1"))
                .singleElement().asString().endsWith("data_blocks=x: expected a whole number greater than 0");
        assertThat(problems("kata.extension.gpu.verity_params")).singleElement().asString().contains("needs a value");
        assertThat(problems("kata.extension....verity_params=x")).singleElement().asString().contains("invalid extension name");
    }

    @Test
    void exceptionMessageJoinsAllProblems() {
        assertThatThrownBy(() -> parse("nvrc.log=x nvrc.cdi=y"))
                .isInstanceOf(InvalidCommandLineException.class)
                .hasMessageContaining("nvrc.log=x: expected").hasMessageContaining("; nvrc.cdi=y: expected");
    }

    @Test
    void lineOf64KibWithAProblemAtTheEnd() {
        String padding = "x=1 ".repeat(16 * 1024);
        assertThat(problems(padding + "nvrc.log=nope")).singleElement().asString().startsWith("nvrc.log=nope:");
    }

    @Test
    void nonAsciiValuesAreReportedNotCrashed() {
        assertThat(problems("nvrc.mode=gpü")).singleElement().asString().startsWith("nvrc.mode=gpü: expected one of");
        assertThat(problems("nvrc.mode\u00e9=gpu")).singleElement().asString().contains("unknown parameter");
    }

    @Test
    void upstreamsExtraModulesIsTheSameListAsModules() throws Exception {
        assertThat(parse("nvrc.extra_modules=nvidia_peermem").modules()).containsExactly("nvidia_peermem");
        assertThat(parse("nvrc.extra_modules=nvidia_peermem,_private").effectiveParameters())
                .containsEntry("nvrc.modules", List.of("nvidia_peermem", "_private"))
                .doesNotContainKey("nvrc.extra_modules");
        assertThat(parse("nvrc.extra_modules=a nvrc.extra_modules=b").modules()).containsExactly("b");
        assertThat(problems("nvrc.extra_modules=a,,b")).singleElement().asString()
                .startsWith("nvrc.extra_modules=a,,b: item 2 of 3: empty module name");
        assertThat(problems("nvrc.extra_modules=-r")).singleElement().asString().contains("starts with '-'");
    }

    @Test
    void bothNamesOfTheModuleListAreAnErrorNamingBoth() {
        assertThat(problems("nvrc.modules=dummy nvrc.extra_modules=nvidia_peermem")).containsExactly(
                "nvrc.extra_modules=nvidia_peermem: sets the same list as nvrc.modules=dummy (nvrc.extra_modules is"
                        + " upstream's name for nvrc.modules); give only one of them");
        assertThat(problems("nvrc.extra_modules=a nvrc.modules=b")).singleElement().asString()
                .startsWith("nvrc.modules=b: sets the same list as nvrc.extra_modules=a");
        assertThat(problems("nvrc.extra_module=a")).singleElement().asString()
                .endsWith("unknown parameter, did you mean nvrc.extra_modules?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nvrc.log=", "nvrc.log=0", "nvrc.log=off", "nvrc.log=OFF"})
    void emptyAndZeroLogMeanOffAsUpstream(String token) throws Exception {
        assertThat(parse("nvrc.log=debug " + token).log()).isEqualTo(LogLevel.OFF);
    }

    @Test
    void logStillRefusesOtherValues() {
        assertThat(problems("nvrc.log=1")).singleElement().asString()
                .startsWith("nvrc.log=1: expected one of off, error, warn, info, debug, trace");
        assertThat(problems("nvrc.log")).singleElement().asString().startsWith("nvrc.log: needs a value");
    }

    @Test
    void uvmToolsIsABooleanOffByDefault() throws Exception {
        assertThat(BootConfig.defaults().uvmTools()).isFalse();
        assertThat(parse("nvrc.uvm.tools=on").uvmTools()).isTrue();
        assertThat(parse("nvrc.uvm.tools").uvmTools()).isTrue();
        assertThat(parse("nvrc.uvm.tools=on nvrc.uvm.tools=0").uvmTools()).isFalse();
        assertThat(parse("nvrc.uvm.tools=yes").effectiveParameters()).containsEntry("nvrc.uvm.tools", true);
        assertThat(parse("nvrc.uvm.tools=on")).isNotEqualTo(BootConfig.defaults());
        assertThat(problems("nvrc.uvm.tools=maybe")).singleElement().asString()
                .startsWith("nvrc.uvm.tools=maybe: expected on/off");
        assertThat(problems("nvrc.mode=cpu nvrc.uvm.tools=on")).singleElement().asString()
                .contains("has no effect in cpu mode");
        assertThat(problems("nvrc.mode=nvswitch-nvl4 nvrc.uvm.tools=on")).singleElement().asString()
                .contains("has no effect in an NVSwitch service VM");
    }
}
