package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleClassifierTest {
    static String console(String name) {
        try (InputStream in = ConsoleClassifierTest.class.getResourceAsStream("/consoles/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCleanHandoffNeedsAgentDoneWithoutFailuresAndAPowerDown() {
        String ok = console("handoff-ok.txt");
        assertThat(ConsoleClassifier.classify(ok, false)).isEqualTo(Outcome.HANDOFF_OK);
        assertThat(ConsoleClassifier.failedLine(ok)).isEmpty();
        String noPowerDown = ok.replace("reboot: Power down", "");
        assertThat(ConsoleClassifier.classify(noPowerDown, true)).isEqualTo(Outcome.AGENT_CHECKS_FAILED);
    }

    @Test
    void aFailedCheckIsAgentChecksFailedAndNamesTheCheck() {
        String console = console("agent-check-failed.txt");
        assertThat(ConsoleClassifier.classify(console, false)).isEqualTo(Outcome.AGENT_CHECKS_FAILED);
        assertThat(ConsoleClassifier.failedLine(console)).contains("AGENT-CHECK oom_score_adj FAIL value=0");
        // A FAIL line with a (wrong) failed=0 count is still a failure.
        String inconsistent = console.replace("failed=1", "failed=0");
        assertThat(ConsoleClassifier.classify(inconsistent, false)).isEqualTo(Outcome.AGENT_CHECKS_FAILED);
    }

    @Test
    void theInitsFailureLineThenPowerDownIsInitFailed() {
        String console = console("init-failed-stub.txt");
        assertThat(ConsoleClassifier.classify(console, false)).isEqualTo(Outcome.INIT_FAILED);
        assertThat(ConsoleClassifier.failedLine(console))
                .contains("nvrc: FAILED init: cannot start the JVM: No such file or directory (execve /usr/lib/nvrc/jre/bin/nvrc)");
        // Without the power-off it did not end as the init means to.
        String hung = console.replace("[    2.122247] reboot: Power down\n", "");
        assertThat(ConsoleClassifier.classify(hung, true)).isEqualTo(Outcome.TIMEOUT);
        assertThat(ConsoleClassifier.classify(hung, false)).isEqualTo(Outcome.UNCLASSIFIED);
    }

    @Test
    void aPanicIsKernelPanicAndAJvmCrashWinsOverThePanicItCauses() {
        String panic = console("panic-exit.txt");
        assertThat(ConsoleClassifier.classify(panic, false)).isEqualTo(Outcome.KERNEL_PANIC);
        assertThat(ConsoleClassifier.failedLine(panic))
                .contains("Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200");
        assertThat(ConsoleClassifier.classify(console("jvm-crash.txt"), false)).isEqualTo(Outcome.JVM_CRASH);
    }

    @Test
    void aRepeatedLogTagBeforeTheFailureLineIsTolerated() {
        String console = "[    8.39] nvrc: nvrc: FAILED cmdline: nvrc.smi.lgc=fast: expected a number\n[    8.43] reboot: Power down\n";
        assertThat(ConsoleClassifier.classify(console, false)).isEqualTo(Outcome.INIT_FAILED);
        assertThat(ConsoleClassifier.failedLine(console)).contains("nvrc: FAILED cmdline: nvrc.smi.lgc=fast: expected a number");
    }

    @Test
    void aFailedLineFollowedByAPanicIsAPanic() {
        String console = "[ 1.0] nvrc: FAILED mounts: mount proc on /proc: EPERM\n"
                + "[ 1.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\n";
        assertThat(ConsoleClassifier.classify(console, false)).isEqualTo(Outcome.KERNEL_PANIC);
        assertThat(ConsoleClassifier.failedLine(console)).contains("nvrc: FAILED mounts: mount proc on /proc: EPERM");
    }

    @Test
    void nothingRecognisableIsUnclassifiedOrTimeout() {
        assertThat(ConsoleClassifier.classify("qemu: could not load kernel\n", false)).isEqualTo(Outcome.UNCLASSIFIED);
        assertThat(ConsoleClassifier.classify("[ 0.1] booting\n", true)).isEqualTo(Outcome.TIMEOUT);
        assertThat(ConsoleClassifier.classify("AGENT-START\n", false)).isEqualTo(Outcome.AGENT_CHECKS_FAILED);
        assertThat(ConsoleClassifier.failedLine("nothing\n")).isEmpty();
    }
}
