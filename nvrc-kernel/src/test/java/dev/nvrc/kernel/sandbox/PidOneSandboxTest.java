package dev.nvrc.kernel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.kernel.procfs.KernelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The adapters as PID 1 on the real kernel, in fresh user+pid+mount+net namespaces entered from an
 * unprivileged uid (see {@link Sandbox}). Each test runs one {@link Scenario} and asserts on its
 * report; the host's state that a broken sandbox could change is read before and after.
 */
@Tag("sandbox")
class PidOneSandboxTest {
    static Sandbox sandbox;

    @BeforeAll
    static void prepare() {
        sandbox = Sandbox.require();
    }

    private static Map<String, String> ok(SandboxResult r) {
        assertThat(r.status()).as(r.describe()).isEqualTo(ExitStatus.exited(0));
        assertThat(r.check("pid")).as(r.describe()).isEqualTo("1");
        assertThat(r.check("done")).as(r.describe()).isEqualTo("1");
        return r.checks();
    }

    @Test
    void mountsProcSysfsAndTmpfsAndRemountsReadOnly() throws Exception {
        SandboxResult r = sandbox.run("mounts", sandbox.scratch().toString());
        Map<String, String> c = ok(r);
        assertThat(c).containsEntry("mount.proc", "mounted")
                .containsEntry("mount.sysfs", "mounted")
                .containsEntry("mount.run", "mounted")
                .containsEntry("mount.tmpfs", "mounted")
                // devtmpfs cannot be mounted in a user namespace: a failure naming the mount and errno.
                .containsEntry("mount.dev", "failed")
                // Optional mounts never fail the boot (skipped here: not mountable in a user namespace).
                .containsEntry("mount.securityfs", "skipped")
                .containsEntry("mount.configfs", "skipped")
                .containsEntry("again.proc", "skipped")
                .containsEntry("run.mode", "rwxr-xr-x")
                .containsEntry("remount.write", "Read-only file system")
                .containsEntry("remount.read", "written before");
        assertThat(c.get("mount.dev.message")).startsWith("mount dev on ").endsWith("/dev (devtmpfs): EPERM (Operation not permitted)");
        assertThat(c.get("mountinfo/proc")).startsWith("proc rw,nosuid,nodev,noexec,relatime");
        assertThat(c.get("mountinfo/sys")).startsWith("sysfs rw,nosuid,nodev,noexec,relatime");
        assertThat(c.get("mountinfo/run")).startsWith("tmpfs rw,nosuid,nodev,noexec,relatime").contains("mode=755");
        assertThat(c.get("mountinfo/tmp")).startsWith("tmpfs rw,nosuid,nodev,relatime ");
        assertThat(c.get("remount.options")).startsWith("ro,").contains("nosuid", "nodev", "relatime");
        assertThat(c.get("remount.unmounted")).endsWith("nothing is mounted there");
    }

    @Test
    void bringsUpTheLoopbackOfTheNewNetworkNamespace() throws Exception {
        Map<String, String> c = ok(sandbox.run("loopback", sandbox.scratch().toString()));
        assertThat(c).containsEntry("interfaces", "lo")
                .containsEntry("lo.before.sysfs", "0x8")
                .containsEntry("lo.before.ioctl", "0x8")
                // sysfs shows the administrative flags (UP|LOOPBACK); IFF_RUNNING is reported by the ioctl.
                .containsEntry("lo.after.sysfs", "0x9")
                .containsEntry("lo.after.ioctl", "0x49")
                .containsEntry("lo.again", "0x49");
        assertThat(c.get("unknown.interface")).isEqualTo("ioctl SIOCGIFFLAGS on interface nvrc0: ENODEV (No such device)");
    }

    @Test
    void syslogOnDevLogStripsResolvesMarkersAndSurvivesABurst() throws Exception {
        String hostQlen = KernelFile.read(Path.of("/proc/sys/net/unix/max_dgram_qlen")).trim();
        SandboxResult r = sandbox.run("syslog", sandbox.scratch().toString());
        Map<String, String> c = ok(r);
        assertThat(c).containsEntry("devlog.path", "/dev/log")
                .containsEntry("devlog.mode", "rw-rw-rw-")
                .containsEntry("qlen.after", "4096")
                .containsEntry("strip", "hello from the sandbox");
        assertThat(c.get("logger")).endsWith("nvrc-sbx[4242]: via logger");
        assertThat(Long.parseLong(c.get("marker.median_us"))).isLessThan(50_000);
        assertThat(Long.parseLong(c.get("chatty.marker_us"))).isLessThan(100_000);
        assertThat(c.get("death.message")).startsWith("nv-fabricmanager (pid ")
                .contains("ended before logging \"FM starting NvLink Inband\": exit code 4")
                .contains("cannot open /run/fabricmanager.cfg");
        assertThat(Long.parseLong(c.get("death.ms"))).isLessThan(5000);
        for (String burst : List.of("burst.qlen4096.log_off", "burst.qlen4096.log_debug", "burst.qlen10.log_off")) {
            assertThat(c.get(burst)).as(burst).contains("sent=100000 received=100000");
        }
        System.out.println("sandbox syslog figures: " + figures(c, "qlen.", "marker.", "chatty.", "death.ms", "burst.", "kmsg."));
        // The queue length is per network namespace: the host keeps its own.
        assertThat(KernelFile.read(Path.of("/proc/sys/net/unix/max_dgram_qlen")).trim()).isEqualTo(hostQlen);
    }

    @Test
    void reapsOrphansAndReportsChildStatusesLimitsAndOomScores() throws Exception {
        Map<String, String> c = ok(sandbox.run("processes", sandbox.scratch().toString()));
        assertThat(c.get("tracked.message")).startsWith("double-fork failed: exit code 3");
        assertThat(Long.parseLong(c.get("orphans.reaped"))).isGreaterThanOrEqualTo(1);
        assertThat(c).containsEntry("zombies", "0")
                .containsEntry("daemon.signal", "killed by signal 15")
                .containsEntry("oom.child", "500")
                .containsEntry("oom.self", "100");
        assertThat(c.get("processes")).startsWith("{1=java");
        String hard = c.get("rlimit.before").split("/")[1];
        assertThat(c.get("rlimit.child")).isEqualTo("4096/" + hard);
        assertThat(c.get("oom.range")).contains("out of range");
        System.out.println("sandbox process figures: " + figures(c, "rlimit.", "oom.", "orphans.", "processes"));
    }

    @Test
    void globalSysctlsCannotBeWrittenFromTheSandbox() throws Exception {
        String panicBefore = KernelFile.read(Path.of("/proc/sys/kernel/panic")).trim();
        String qlenBefore = KernelFile.read(Path.of("/proc/sys/net/unix/max_dgram_qlen")).trim();
        Map<String, String> c = ok(sandbox.run("sysctl"));
        assertThat(c.get("panic.write")).startsWith("sysctl kernel.panic: cannot write").endsWith("Permission denied");
        assertThat(c.get("modules_disabled.write")).startsWith("sysctl kernel.modules_disabled: cannot write")
                .matches(".*(Permission denied|no such parameter in this kernel)$");
        assertThat(c.get("printk_devkmsg.write")).startsWith("sysctl kernel.printk_devkmsg: cannot write").endsWith("Permission denied");
        // Per-namespace sysctls work, and stay in the namespace.
        assertThat(c).containsEntry("qlen.after", "512");
        assertThat(KernelFile.read(Path.of("/proc/sys/kernel/panic")).trim()).isEqualTo(panicBefore);
        assertThat(KernelFile.read(Path.of("/proc/sys/net/unix/max_dgram_qlen")).trim()).isEqualTo(qlenBefore);
    }

    @Test
    void execveReplacesPid1AndHandsOverOnlyTheSyslogSocket() throws Exception {
        SandboxResult r = sandbox.run("execve", sandbox.scratch().toString());
        Map<String, String> c = ok(r);
        assertThat(c).containsEntry("exec.pid", "1")
                .containsEntry("handoff.stopped", "true")
                .containsEntry("exec.sigblk", "0000000000000000")
                .containsEntry("exec.env", "NVRC_HANDOFF=1 PATH=/usr/bin:/bin ")
                .containsEntry("exec.drained", "<6>queued for the drainer");
        String fd = c.get("handoff.fd");
        List<String> fds = new ArrayList<>();
        c.forEach((k, v) -> {
            if (k.startsWith("exec.fd.")) {
                fds.add(k.substring("exec.fd.".length()));
            }
        });
        assertThat(fds).as(r.describe()).containsExactlyInAnyOrder("0", "1", "2", fd);
        assertThat(c.get("exec.fd." + fd)).startsWith("socket:[");
    }

    @Test
    void powerOffEndsTheNamespaceNotTheHost() throws Exception {
        SandboxResult r = sandbox.run("poweroff");
        // reboot(2) in a child PID namespace kills its init with SIGINT (for a power-off); unshare
        // passes the signal on.
        assertThat(r.check("poweroff.calling")).as(r.describe()).isEqualTo("1");
        assertThat(r.check("poweroff.returned")).as(r.describe()).isNull();
        assertThat(r.status()).as(r.describe()).isEqualTo(ExitStatus.killed(2));
    }

    @Test
    void everyGuardRefusesInsideTheNamespaceWhenNotPid1() throws Exception {
        SandboxResult r = sandbox.run(Sandbox.Options.DEFAULT.at(Sandbox.Position.CHILD), "guard");
        assertThat(r.status()).as(r.describe()).isEqualTo(ExitStatus.exited(0));
        Map<String, String> c = r.checks();
        assertThat(c.get("pid")).isNotEqualTo("1");
        for (String g : List.of("mount", "remount", "loopback", "sysctl", "rlimit", "oom", "execve", "devlog", "poweroff")) {
            assertThat(c.get("guard." + g)).as(g + "\n" + r.describe()).isEqualTo("refused");
        }
    }

    @Test
    void startUpToAdaptersReady() throws Exception {
        int runs = Integer.getInteger("nvrc.sandbox.startupRuns", 1);
        List<Long> sinceJvm = new ArrayList<>();
        List<Long> sinceExec = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            SandboxResult r = sandbox.run(Sandbox.Options.DEFAULT.withoutCoverage(), "ready", sandbox.scratch().toString());
            Map<String, String> c = ok(r);
            sinceJvm.add(Long.parseLong(c.get("ready.since_jvm_start_ms")));
            sinceExec.add(Long.parseLong(c.get("ready.since_exec_ms")));
            wall.add(Math.round(r.wallMillis()));
        }
        System.out.printf("sandbox start to adapters ready over %d runs: since JVM start median %d ms %s; since exec median %d ms %s;"
                + " harness wall (setpriv+unshare+JVM exit) median %d ms %s%n",
                runs, median(sinceJvm), sinceJvm, median(sinceExec), sinceExec, median(wall), wall);
        assertThat(median(sinceJvm)).isLessThan(30_000);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String figures(Map<String, String> c, String... prefixes) {
        StringBuilder sb = new StringBuilder();
        c.forEach((k, v) -> {
            for (String p : prefixes) {
                if (k.startsWith(p)) {
                    sb.append("\n  ").append(k).append('=').append(v);
                    break;
                }
            }
        });
        return sb.toString();
    }
}
