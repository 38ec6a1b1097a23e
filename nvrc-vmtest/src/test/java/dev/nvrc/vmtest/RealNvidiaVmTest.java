package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NVIDIA's real binaries in the guest, Debian 12's 535 driver (scripts/nvidia-real.sh): the
 * failures a user meets in a VM without a GPU passed through, each with the exact FAILED line.
 * The fixture gpu1 makes nvrc choose gpu mode; the pre-init binds the real program named by
 * {@code vmtest.real} over the simulated one, the other tools stay simulated.
 */
class RealNvidiaVmTest {
    static final Duration TIMEOUT = Duration.ofMinutes(4);
    static final String GPU1 = BootScenariosVmTest.PRE_INIT + " vmtest.fixture=gpu1";

    private static Vm vm;

    @BeforeAll
    static void vm() {
        vm = RealNvidia.vmOrSkip();
    }

    private static VmRun boot(String name, String cmdline) {
        VmRun run = vm.run("real-" + name, cmdline, TIMEOUT);
        System.out.println("real-" + name + ": " + run);
        assertThat(run.outcome()).as("%s%n%s", run, run.console()).isEqualTo(Outcome.INIT_FAILED);
        assertThat(Pattern.compile("(?m)^\\[\\s*\\d+\\.\\d+\\] nvrc: FAILED ").matcher(run.console()).results().count())
                .as("one FAILED line in:%n%s", run.console()).isEqualTo(1);
        return run;
    }

    /** The line with pids as N: they differ from boot to boot. */
    private static String pidFree(String line) {
        return line.replaceAll("\\(pid \\d+\\)", "(pid N)").replaceAll("Shutdown \\(\\d+\\)", "Shutdown (N)");
    }

    private static String failed(VmRun run) {
        return run.failedLine().orElseThrow();
    }

    @Test
    void realModprobeWithoutAGpuQuotesTheDriverAndAsksForAPassedThroughGpu() {
        VmRun run = boot("modprobe", GPU1 + " vmtest.real=modprobe");
        assertThat(failed(run)).as(run.console()).isEqualTo("nvrc: FAILED modprobe nvidia: modprobe failed: exit code 1"
                + " (/sbin/modprobe nvidia NVreg_NvLinkDisable=1); last output: modprobe: ERROR: could not insert"
                + " 'nvidia': No such device; kernel log: NVRM: No NVIDIA GPU found.; is a GPU passed through to"
                + " this VM (a vfio-pci device the driver can bind)?");
    }

    @Test
    void realPersistenced535RejectsTheUvmOptionAndTheBootFailsInSeconds() {
        VmRun run = boot("persistenced-uvm", GPU1 + " vmtest.real=nvidia-persistenced");
        assertThat(pidFree(failed(run))).as(run.console()).isEqualTo("nvrc: FAILED nvidia-persistenced: nvidia-persistenced"
                + " (pid N) ended before logging \"Local RPC services initialized\": exit code 0; last lines:"
                + " /bin/nvidia-persistenced: unrecognized option: \"--uvm-persistence-mode\" | ERROR: Invalid commandline,"
                + " please run `/bin/nvidia-persistenced --help` for usage information.; this nvidia-persistenced predates"
                + " --uvm-persistence-mode (driver 550.40.07 and later have it): boot with nvrc.uvm.persistence.mode=off");
        // Not the readiness timeout (600 s by default): the whole VM, boot and power-off included, is done well before.
        assertThat(run.wallTime()).isLessThan(Duration.ofSeconds(120));
    }

    @Test
    void realPersistencedWithoutDevicesSaysWhatItCouldNotQuery() {
        VmRun run = boot("persistenced-no-devices", GPU1 + " vmtest.real=nvidia-persistenced nvrc.uvm.persistence.mode=off");
        // The child's syslog(3) lines (glibc datagrams, timestamps dropped) and the parent's stderr.
        // The parent exits (the failure) once the child has reported, and the child's last two lines
        // ("PID file closed", "Shutdown") race with that exit: they are quoted when they were sent
        // before the failure was worded, so they may be missing, never wrong or out of this set.
        String line = pidFree(failed(run)).replaceAll("Started \\(\\d+\\)", "Started (N)");
        String head = "nvrc: FAILED nvidia-persistenced: nvidia-persistenced (pid N) ended during the boot: exit code 1;"
                + " last lines: ";
        assertThat(line).as(run.console()).startsWith(head);
        List<String> quoted = List.of(line.substring(head.length()).split(" \\| "));
        String failedQuery = "nvidia-persistenced: Failed to query NVIDIA devices. Please ensure that the NVIDIA device"
                + " files (/dev/nvidia*) exist, and that user 0 has read and write permissions for those files.";
        String parent = "nvidia-persistenced failed to initialize. Check syslog for more details.";
        String unlocked = "nvidia-persistenced: PID file unlocked.";
        assertThat(quoted).as(run.console()).hasSize(5).contains(failedQuery, parent, unlocked);
        assertThat(quoted).as(run.console()).isSubsetOf(
                "nvidia-persistenced: Directory /var/run/nvidia-persistenced will not be removed on exit",
                "nvidia-persistenced: Started (N)", failedQuery, parent, unlocked,
                "nvidia-persistenced: PID file closed.", "nvidia-persistenced: Shutdown (N)");
        assertThat(failed(run)).doesNotContainPattern("[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void realNvidiaSmiWithoutADriverExitsNineWithItsMessage() {
        VmRun run = boot("nvidia-smi", GPU1 + " vmtest.real=nvidia-smi nvrc.smi.lgc=1500");
        assertThat(failed(run)).as(run.console()).isEqualTo("nvrc: FAILED nvidia-smi -lgc: nvidia-smi failed: exit code 9"
                + " (/bin/nvidia-smi -lgc 1500); last output: NVIDIA-SMI has failed because it couldn't communicate"
                + " with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.");
    }
}
