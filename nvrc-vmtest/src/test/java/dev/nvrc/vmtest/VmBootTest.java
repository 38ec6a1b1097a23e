package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's command (what the scripts call), against a shell script standing in for QEMU. */
class VmBootTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int vmBoot(String fakeQemu, String... args) throws Exception {
        Path qemu = dir.resolve("fake-qemu");
        Files.writeString(qemu, "#!/bin/sh\n" + fakeQemu);
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("vmlinuz"), "kernel");
        Files.writeString(dir.resolve("initramfs.img"), "initramfs");
        List<String> all = new ArrayList<>(List.of("--initrd", dir.resolve("initramfs.img").toString(), "--out",
                dir.resolve("out").toString()));
        all.addAll(List.of(args));
        Map<String, String> props = Map.of("nvrc.vm.qemu", qemu.toString(), "nvrc.vm.kernel", dir.resolve("vmlinuz").toString());
        return VmBoot.run(all, props::get, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHandoffExitsZeroAndWritesConsoleBootJsonAndOutcome() throws Exception {
        int rc = vmBoot("echo \"args: $*\"\nprintf 'AGENT-START\\r\\nBOOT-JSON-BEGIN\\r\\n{ \"steps\" : [ ] }\\r\\nBOOT-JSON-END\\r\\n"
                + "AGENT-DONE passed=3 failed=0\\r\\n[    2.0] reboot: Power down\\r\\n'\n", "--name", "gpu-1", "--cmdline",
                "vmtest.fixture=gpu1 loglevel=7");
        assertThat(rc).as(err()).isZero();
        assertThat(out()).matches("HANDOFF_OK \\d+\\.\\d\n");
        Path o = dir.resolve("out");
        assertThat(Files.readString(o.resolve("gpu-1.outcome"))).isEqualTo(out());
        assertThat(Files.readString(o.resolve("gpu-1.boot.json"))).isEqualTo("{ \"steps\" : [ ] }\n");
        assertThat(Files.readString(o.resolve("gpu-1.log"))).startsWith("# HANDOFF_OK").doesNotContain("\r")
                .contains("-append console=ttyS0 panic=-1 quiet loglevel=5 vmtest.fixture=gpu1 loglevel=7");
    }

    @Test
    void anotherOutcomeExitsOneAndSaysWhy() throws Exception {
        int rc = vmBoot("echo '[    1.5] nvrc: FAILED mount /proc: EPERM'\necho '[    1.6] reboot: Power down'\n", "--name", "bad",
                "--cmdline", "nvrc.mode=bogus");
        assertThat(rc).isEqualTo(1);
        assertThat(out()).matches("INIT_FAILED \\d+\\.\\d nvrc: FAILED mount /proc: EPERM\n");
        assertThat(dir.resolve("out/bad.boot.json")).doesNotExist();
        assertThat(dir.resolve("out/bad.log")).exists();
    }

    @Test
    void aConsoleWithoutAFailureLineIsNamedByItsLastLine() throws Exception {
        assertThat(vmBoot("echo 'booting'\necho 'stuck here'\n", "--name", "x", "--cmdline", "")).isEqualTo(1);
        assertThat(out()).matches("UNCLASSIFIED \\d+\\.\\d the guest did not reach the agent; last console line: stuck here\n");
    }

    @Test
    void aHungGuestIsATimeout() throws Exception {
        assertThat(vmBoot("exec sleep 30\n", "--name", "hung", "--cmdline", "", "--timeout", "1")).isEqualTo(1);
        assertThat(out()).startsWith("TIMEOUT ");
    }

    @Test
    void printCommandShowsQemusArgvAndBootsNothing() throws Exception {
        assertThat(vmBoot("echo booted > " + dir.resolve("booted") + "\n", "--print-command", "--arch", "aarch64", "--cmdline",
                "nvrc.mode=cpu")).isZero();
        assertThat(out()).contains("-machine virt -cpu max,pauth-impdef=on")
                .contains("-append console=ttyAMA0 panic=-1 quiet loglevel=5 nvrc.mode=cpu");
        assertThat(dir.resolve("booted")).doesNotExist();
    }

    @Test
    void badArgumentsBootNothingAndExitTwo() throws Exception {
        assertThat(vmBoot("exit 0\n", "--name", "a")).isEqualTo(VmBoot.USAGE);
        assertThat(err()).contains("--cmdline is required").contains("usage: vm-boot");
        assertThat(vmBoot("exit 0\n", "--cmdline", "")).isEqualTo(VmBoot.USAGE);
        assertThat(vmBoot("exit 0\n", "--name", "a/b", "--cmdline", "")).isEqualTo(VmBoot.USAGE);
        assertThat(vmBoot("exit 0\n", "--name", "a", "--cmdline", "", "--timeout", "soon")).isEqualTo(VmBoot.USAGE);
        assertThat(vmBoot("exit 0\n", "--name", "a", "--cmdline", "", "--timeout", "0")).isEqualTo(VmBoot.USAGE);
        assertThat(vmBoot("exit 0\n", "--name", "a", "--cmdline", "", "--bogus", "1")).isEqualTo(VmBoot.USAGE);
        assertThat(vmBoot("exit 0\n", "--name", "a", "--cmdline", "", "--arch", "mips")).isEqualTo(VmBoot.USAGE);
        assertThat(err()).contains("unknown argument '--bogus'").contains("unknown architecture");
        assertThat(vmBoot("exit 0\n", "--name", "a", "--cmdline")).isEqualTo(VmBoot.USAGE);
        assertThat(err()).contains("--cmdline needs a value");
        assertThat(out()).isEmpty();
    }

    @Test
    void aMissingKernelOrInitramfsBootsNothingAndExitsTwo() throws Exception {
        assertThat(vmBoot("exit 0\n", "--name", "a", "--cmdline", "", "--kernel", dir.resolve("nope").toString())).isEqualTo(VmBoot.USAGE);
        assertThat(err()).contains("vm-boot: cannot boot: kernel " + dir.resolve("nope"));
        assertThat(dir.resolve("out/a.log")).doesNotExist();
    }
}
