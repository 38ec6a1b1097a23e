package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VmRunTest {
    private final VmRun run = VmRun.of("nvrc.mode=gpu", ConsoleClassifierTest.console("handoff-ok.txt"), false);

    @Test
    void parsesTheAgentsReport() {
        assertThat(run.outcome()).isEqualTo(Outcome.HANDOFF_OK);
        assertThat(run.cmdline()).isEqualTo("nvrc.mode=gpu");
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.agentChecks()).containsEntry("pid1", "ok pid=1")
                .containsEntry("drainer_throughput", "ok sent=10000 of 10000 eagain=3 ms=812 budget_ms=20000")
                .hasSize(7);
        assertThat(run.agentUptime()).hasValue(6.512);
        assertThat(run.kernelRunInit()).hasValue(2.401);
        assertThat(run.drainerRssAnonKb()).hasValue(52);
        assertThat(run.bootJson()).hasValueSatisfying(j -> assertThat(j).startsWith("{").contains("\"handoff\""));
        assertThat(run.cdiSpec()).isEmpty();
        assertThat(run.toString()).startsWith("HANDOFF_OK (cmdline: nvrc.mode=gpu");
    }

    @Test
    void theToolCallsComeFromTheLogSectionElseFromTheKernelLog() {
        assertThat(run.nvsimCalls()).containsExactly("modprobe nvidia NVreg_NvLinkDisable=1", "modprobe nvidia-uvm",
                "nvidia-persistenced --verbose --uvm-persistence-mode");
        VmRun failed = VmRun.of("x", "[    1.5] NVSIM modprobe nvidia\n[ 1.6] nvrc: FAILED gpu: modprobe nvidia failed\n"
                + "[ 1.7] reboot: Power down\n", false);
        assertThat(failed.nvsimCalls()).containsExactly("modprobe nvidia");
        assertThat(failed.outcome()).isEqualTo(Outcome.INIT_FAILED);
        assertThat(failed.failedLine()).contains("nvrc: FAILED gpu: modprobe nvidia failed");
        assertThat(failed.agentUptime()).isEmpty();
        assertThat(failed.drainerRssAnonKb()).isEmpty();
        assertThat(failed.toString()).startsWith("INIT_FAILED: nvrc: FAILED gpu");
    }
}
