package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.Arch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's process handling, against a shell script standing in for QEMU. */
class VmHarnessTest {
    @TempDir
    Path dir;

    private Vm fakeQemu(String script) throws Exception {
        Path qemu = dir.resolve("fake-qemu");
        Files.writeString(qemu, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwx------"));
        return new Vm(new VmConfig(qemu.toString(), dir.resolve("vmlinuz"), dir.resolve("initramfs.img"), dir.resolve("logs"),
                VmConfig.BASE_CMDLINE, "tcg"));
    }

    @Test
    void theCommandLineIsTheMeasuredOne() throws Exception {
        Vm vm = fakeQemu("exit 0\n");
        assertThat(vm.command("nvrc.mode=cpu")).containsSubsequence("-machine", "q35", "-cpu", "max", "-m", "1024", "-smp",
                "2", "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot", "-kernel",
                dir.resolve("vmlinuz").toString(), "-initrd", dir.resolve("initramfs.img").toString(), "-append",
                "console=ttyS0 panic=-1 quiet loglevel=5 nvrc.mode=cpu");
        Vm kvm = new Vm(new VmConfig("q", Path.of("k"), Path.of("i"), null, "console=ttyS0", "kvm", Arch.X86_64));
        assertThat(kvm.command("")).contains("q35,accel=kvm").endsWith("console=ttyS0");
    }

    @Test
    void anArm64GuestBootsQemusVirtMachineWithThePl011Console() {
        Vm arm = new Vm(new VmConfig("qemu-system-aarch64", Path.of("k"), Path.of("i"), null,
                VmConfig.baseCmdline(Arch.AARCH64), "tcg", Arch.AARCH64));
        assertThat(arm.command("nvrc.mode=cpu")).containsSubsequence("qemu-system-aarch64", "-machine", "virt", "-cpu",
                "max,pauth-impdef=on", "-m", "1024", "-kernel", "k", "-initrd", "i", "-append",
                "console=ttyAMA0 panic=-1 quiet loglevel=5 nvrc.mode=cpu");
        assertThat(arm.arch()).isEqualTo(Arch.AARCH64);
        Vm kvm = new Vm(new VmConfig("q", Path.of("k"), Path.of("i"), null, "", "kvm", Arch.AARCH64));
        assertThat(kvm.command("")).contains("virt,accel=kvm");
    }

    @Test
    void anEmulatedGuestGetsItsTimeoutScaled() throws Exception {
        Arch other = Arch.current() == Arch.AARCH64 ? Arch.X86_64 : Arch.AARCH64;
        Path qemu = dir.resolve("slow-qemu");
        Files.writeString(qemu, "#!/bin/sh\nsleep 1\necho 'AGENT-DONE passed=1 failed=0'\necho 'reboot: Power down'\n");
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwx------"));
        Vm emulated = new Vm(new VmConfig(qemu.toString(), Path.of("k"), Path.of("i"), null, "", "tcg", other));
        // 600 ms would time out; scaled by EMULATED_SLOWDOWN it is 3 s.
        assertThat(emulated.run(null, "", Duration.ofMillis(600)).outcome()).isEqualTo(Outcome.HANDOFF_OK);
        Vm sameArch = new Vm(new VmConfig(qemu.toString(), Path.of("k"), Path.of("i"), null, "", "tcg", Arch.current()));
        assertThat(sameArch.run(null, "", Duration.ofMillis(600)).outcome()).isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void theConsoleIsClassifiedAndSaved() throws Exception {
        // Serial consoles end lines with \r\n; the harness hands out \n.
        Vm vm = fakeQemu("printf 'AGENT-START\\r\\nAGENT-CHECK pid1 ok pid=1\\r\\nAGENT-DONE passed=1 failed=0\\r\\n'\n"
                + "echo \"args: $*\" >&2\necho '[    3.0] reboot: Power down'\n");
        VmRun run = vm.run("cpu scenario", "nvrc.mode=cpu", Duration.ofSeconds(20));
        assertThat(run.outcome()).as(run.console()).isEqualTo(Outcome.HANDOFF_OK);
        assertThat(run.console()).doesNotContain("\r").contains("args: -machine q35").contains("nvrc.mode=cpu");
        assertThat(run.wallTime()).isPositive();
        Path log = vm.logs().resolve("cpu_scenario.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).startsWith("# HANDOFF_OK (cmdline: console=ttyS0").contains("AGENT-DONE");
    }

    @Test
    void aHungVmIsKilledAndIsATimeout() throws Exception {
        Vm vm = fakeQemu("echo '[ 0.1] booting'\nexec sleep 60\n");
        long start = System.nanoTime();
        VmRun run = vm.run(null, "", Duration.ofMillis(700));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(run.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(run.console()).contains("[ 0.1] booting").contains("vmtest: TIMEOUT after 0 s");
    }

    @Test
    void aJvmCrashIsRetriedOnceAndBothAttemptsAreSaved() throws Exception {
        Path counter = dir.resolve("count");
        Vm vm = fakeQemu("if [ -e " + counter + " ]; then echo 'AGENT-DONE passed=3 failed=0'; echo 'reboot: Power down';\n"
                + "else touch " + counter + "; echo '# A fatal error has been detected by the Java Runtime Environment:'; fi\n");
        VmRun run = vm.run("retry", "", Duration.ofSeconds(20));
        assertThat(run.outcome()).isEqualTo(Outcome.HANDOFF_OK);
        assertThat(run.attempts()).isEqualTo(2);
        assertThat(Files.readString(vm.logs().resolve("retry.log"))).startsWith("# attempt 1: JVM_CRASH").contains("# attempt 2");
    }

    @Test
    void aQemuThatCannotStartIsUnclassifiedWithTheReason() {
        Vm vm = new Vm(new VmConfig(dir.resolve("no-such-qemu").toString(), Path.of("k"), Path.of("i"), null, "", "tcg"));
        VmRun run = vm.run(null, "x", Duration.ofSeconds(5));
        assertThat(run.outcome()).isEqualTo(Outcome.UNCLASSIFIED);
        assertThat(run.console()).startsWith("vmtest: cannot start " + dir.resolve("no-such-qemu"));
    }

    @Test
    void aReadOnlyDiskIsAVirtioBlkDeviceWithItsSerial() {
        java.nio.file.Path image = java.nio.file.Path.of("/tmp/ext.img");
        assertThat(Vm.readOnlyDisk(image, "extension-gpu")).containsExactly("-drive",
                "file=/tmp/ext.img,if=none,id=disk-extensiongpu,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=disk-extensiongpu,serial=extension-gpu");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Vm.readOnlyDisk(image, "a,b=c"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
