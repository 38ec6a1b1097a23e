package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The boot benchmark's figures of one boot, read from its console. */
class BootFiguresTest {
    private static final String CONSOLE = """
            [    6.899196] NVSIM nvidia-persistenced marker-sent uptime_us=6938368
            AGENT-START
            AGENT-UPTIME 7.250
            AGENT-KERNEL-RUN-INIT 2.898
            AGENT-DRAINER-RSS-ANON 4
            BOOT-JSON-BEGIN
            {
              "jvm_main_uptime_ms" : 5587,
              "first_step_ms" : 6111,
              "jvm_rss_anon_kb" : 20444,
              "jvm_rss_file_kb" : 4,
              "jvm_rss_shmem_kb" : 17472,
              "jvm_peak_rss_kb" : 37984,
              "steps" : [ {
                "step" : "mount /proc",
                "start_ms" : 6111,
                "duration_ms" : 12,
              }, {
                "step" : "nvidia-persistenced",
                "start_ms" : 6889,
                "duration_ms" : 53,
                "ok" : true
              } ]
            }
            BOOT-JSON-END
            AGENT-DONE passed=12 failed=0
            [    7.5] reboot: Power down
            """;

    private static BootFigures figures(String console) {
        return figures("agent.expect_devices=none", console);
    }

    private static BootFigures figures(String cmdline, String console) {
        return BootFigures.of(new VmRun(cmdline, console, ConsoleClassifier.classify(console, false), 1, Duration.ofMillis(8460)));
    }

    @Test
    void aHandedOffBootGivesTheBenchmarksRow() {
        // As bench-boot.sh computed them: handoff 7.250 - 2.898, jvm 5.587 - 2.898, marker 6889 + 53 - 6938.368,
        // file pages 4 + 17472; no rdinit=, so the kernel ran nvrc's /init itself: nvrc's figure is the handoff's.
        assertThat(figures(CONSOLE).tsv()).isEqualTo("ok\t4.352\t2.689\t6111\t37984\t4\t2.898\t8.5\t3.6\t20444\t17476\t4.352");
    }

    @Test
    void whatTheConsoleLacksIsNa() {
        assertThat(figures("[ 1.0] Kernel panic - not syncing: Attempted to kill init!\n").tsv())
                .isEqualTo("FAIL\tNA\tNA\tNA\tNA\tNA\tNA\t8.5\tNA\tNA\tNA\tNA");
        // The marker without the step's end (the boot stopped in between), and the reverse.
        assertThat(BootFigures.markerDelay("NVSIM nvidia-persistenced marker-sent uptime_us=1000\n")).isEmpty();
        assertThat(BootFigures.markerDelay("\"step\" : \"nvidia-persistenced\",\n\"start_ms\" : 5,\n\"duration_ms\" : 1\n")).isEmpty();
    }

    @Test
    void theMarkerIsSeenWhenTheReportSaysNotWhenTheStepEnded() {
        // Since the persistenced step also waits for its launcher's exit and reads the pid file,
        // its end is later than the marker: the report's ready_ms is the moment the marker was seen.
        String withReady = CONSOLE.replace("BOOT-JSON-END", "").replace("""
                  } ]
                }
                """, """
                  } ],
                  "daemons" : [ {
                    "name" : "nvidia-persistenced",
                    "pid" : 812,
                    "ready_ms" : 6941
                  } ]
                }
                BOOT-JSON-END""");
        assertThat(BootFigures.markerDelay(withReady)).hasValue(6941 - 6938.368);
        assertThat(BootFigures.markerDelay(CONSOLE)).hasValue(6889 + 53 - 6938.368);
    }

    @Test
    void nvrcsInitStartsWhereTheLastWrapperExecedIt() {
        String pre = "rdinit=/usr/lib/nvrc-vmtest/pre-init vmtest.fixture=gpu1";
        // The pre-init exec'd bench-jvm at 3.120, which exec'd nvrc's /init at 3.500: 7.250 - 3.500.
        String wrapped = CONSOLE.replace("AGENT-START\n", "VMTEST-EXEC-INIT 3.120\nVMTEST-EXEC-INIT 3.500\nAGENT-START\n");
        BootFigures f = figures(pre + " NVRC_BENCH_JVM=-Xint", wrapped);
        assertThat(f.nvrcHandoffS()).hasValue(7.250 - 3.500);
        assertThat(f.handoffS()).hasValue(7.250 - 2.898);
        assertThat(f.tsv()).endsWith("\t3.750");
        // A wrapper ran (rdinit=) but printed no line, as an initramfs older than the line: not known.
        assertThat(figures(pre, CONSOLE).nvrcHandoffS()).isEmpty();
        assertThat(figures(pre, CONSOLE).tsv()).endsWith("\t17476\tNA");
        // rdinit= only as a whole token: another parameter ending in it is not a wrapper.
        assertThat(figures("vmtest.nordinit=x", CONSOLE).nvrcHandoffS()).hasValue(7.250 - 2.898);
    }

    @Test
    void markersAreReadAtTheStartOfALineOnly() {
        assertThat(BootFigures.marker("x AGENT-UPTIME 1.0\nAGENT-UPTIME 2.5\n", "AGENT-UPTIME")).contains("2.5");
        assertThat(BootFigures.json("\"first_step_ms\" : -3,", "first_step_ms")).hasValue(-3);
    }
}
