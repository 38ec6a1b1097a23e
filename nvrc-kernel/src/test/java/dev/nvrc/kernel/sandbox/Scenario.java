package dev.nvrc.kernel.sandbox;

import static dev.nvrc.core.port.MountFlags.COMMON;
import static dev.nvrc.core.port.MountFlags.MS_NOEXEC;
import static dev.nvrc.core.port.MountFlags.MS_NOSUID;
import static dev.nvrc.core.port.MountFlags.MS_RELATIME;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.MountFlags;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.system.BootMounts;
import dev.nvrc.kernel.LinuxPorts;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.init.LinuxInitControl;
import dev.nvrc.kernel.libc.ErrnoText;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.mount.LinuxMounts;
import dev.nvrc.kernel.mount.MountEntry;
import dev.nvrc.kernel.mount.MountTable;
import dev.nvrc.kernel.net.LinuxNetwork;
import dev.nvrc.kernel.process.LinuxProcessRunner;
import dev.nvrc.kernel.procfs.KernelFile;
import dev.nvrc.kernel.sysctl.LinuxSysctl;
import dev.nvrc.kernel.syslog.Burst;
import dev.nvrc.kernel.syslog.DatagramSender;
import dev.nvrc.kernel.syslog.LinuxSyslogSink;
import dev.nvrc.kernel.syslog.SyslogOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The program the sandbox runs as PID 1. Each scenario exercises real adapters against the real
 * kernel and reports {@code CHECK name=value} lines on stdout; {@link PidOneSandboxTest} asserts
 * on them. The first thing it does is refuse to run when its user namespace maps host root.
 *
 * <p>{@code <scratch>} arguments are empty host directories; a scenario mounts a tmpfs over one
 * before writing anything, so nothing is written to the host's filesystems.
 */
public final class Scenario {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** devtmpfs cannot be mounted in a user namespace: the sandbox's stand-in for /dev. */
    static final MountRequest SANDBOX_DEV = new MountRequest("dev", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_RELATIME, "mode=0755", false);

    private Scenario() {}

    public static void main(String[] args) throws Exception {
        if (SandboxSafety.enteredFromHostRoot(Path.of("/proc/self/uid_map"))) {
            System.out.println("CHECK refused=entered-from-host-root");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        check("pid", ProcessHandle.current().pid());
        switch (args[0]) {
            case "mounts" -> mounts(Path.of(args[1]));
            case "loopback" -> loopback(Path.of(args[1]));
            case "syslog" -> syslog(Path.of(args[1]));
            case "processes" -> processes(Path.of(args[1]));
            case "sysctl" -> sysctl();
            case "execve" -> execve(Path.of(args[1]));
            case "poweroff" -> powerOff();
            case "guard" -> guard();
            case "ready" -> ready(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        check("done", 1);
        System.out.flush();
    }

    static void check(String name, Object value) {
        System.out.println("CHECK " + name + "=" + String.valueOf(value).replace('\n', ' '));
    }

    /** Mounts a tmpfs over the (empty, host-owned) scratch directory: everything after is private. */
    private static void scratchTmpfs(Path scratch, String... dirs) throws Exception {
        LinuxMounts system = new LinuxMounts(NvrcPaths.system(), Pid1Guard.system());
        if (!system.mount(new MountRequest("sandbox", scratch.toString(), "tmpfs", COMMON, "mode=0755", false))) {
            throw new IllegalStateException("scratch " + scratch + " was mounted already");
        }
        for (String d : dirs) {
            Files.createDirectories(scratch.resolve(d));
        }
    }

    private static void mounts(Path scratch) throws Exception {
        scratchTmpfs(scratch, "proc", "sys", "dev", "run", "tmp");
        check("scratch", "mounted");
        LinuxMounts mounts = new LinuxMounts(NvrcPaths.under(scratch), Pid1Guard.system());
        for (MountRequest r : BootMounts.STANDARD) {
            try {
                check("mount." + r.source(), mounts.mount(r) ? "mounted" : "skipped");
            } catch (BootFailure e) {
                check("mount." + r.source(), "failed");
                check("mount." + r.source() + ".message", e.getMessage());
            }
        }
        MountTable table = mounts.table();
        for (String target : List.of("/proc", "/sys", "/run", "/tmp")) {
            MountEntry e = table.find(scratch + target).orElse(null);
            check("mountinfo" + target, e == null ? "absent"
                    : e.fsType() + " " + String.join(",", e.options()) + " " + String.join(",", e.superOptions()));
        }
        check("again.proc", mounts.mount(BootMounts.PROC) ? "mounted" : "skipped");
        check("run.mode", PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.resolve("run"))));
        Files.writeString(scratch.resolve("tmp/before"), "written before");
        mounts.remountReadOnly("/tmp");
        check("remount.options", String.join(",", mounts.table().find(scratch + "/tmp").orElseThrow().options()));
        try {
            Files.writeString(scratch.resolve("tmp/after"), "x");
            check("remount.write", "ok");
        } catch (FileSystemException e) {
            check("remount.write", e.getReason());
        }
        check("remount.read", Files.readString(scratch.resolve("tmp/before")));
        try {
            mounts.remountReadOnly("/nothing-here");
        } catch (BootFailure e) {
            check("remount.unmounted", e.getMessage());
        }
    }

    private static void loopback(Path scratch) throws Exception {
        scratchTmpfs(scratch, "sys");
        // A sysfs mounted in this network namespace shows this namespace's interfaces.
        new LinuxMounts(NvrcPaths.under(scratch), Pid1Guard.system()).mount(BootMounts.SYS);
        Path flags = scratch.resolve("sys/class/net/lo/flags");
        LinuxNetwork net = new LinuxNetwork(Pid1Guard.system());
        try (DirectoryStream<Path> ifs = Files.newDirectoryStream(scratch.resolve("sys/class/net"))) {
            List<String> names = new ArrayList<>();
            ifs.forEach(p -> names.add(p.getFileName().toString()));
            check("interfaces", String.join(",", names));
        }
        check("lo.before.sysfs", Files.readString(flags).trim());
        check("lo.before.ioctl", "0x" + Integer.toHexString(net.flags("lo")));
        net.loopbackUp();
        check("lo.after.sysfs", Files.readString(flags).trim());
        check("lo.after.ioctl", "0x" + Integer.toHexString(net.flags("lo")));
        net.loopbackUp();
        check("lo.again", "0x" + Integer.toHexString(net.flags("lo")));
        try {
            net.flags("nvrc0");
        } catch (BootFailure e) {
            check("unknown.interface", e.getMessage());
        }
    }

    /**
     * A private /dev (tmpfs) with the host's /dev/null bound back into it, so that /dev/log is the
     * real path and children still get /dev/null. Set up with raw mount(2): the adapter would
     * rightly skip /dev, which is a mount point already.
     */
    private static void privateDev(Path scratch) throws Exception {
        scratchTmpfs(scratch);
        Path keep = Files.createFile(scratch.resolve("null"));
        mountRaw("/dev/null", keep.toString(), null, MountFlags.MS_BIND);
        mountRaw("dev", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_RELATIME, "mode=0755");
        Files.createFile(Path.of("/dev/null"));
        mountRaw(keep.toString(), "/dev/null", null, MountFlags.MS_BIND);
    }

    private static void mountRaw(String source, String target, String type, long flags, String data) {
        if (Native.libc().mount(source, target, type, flags, data) != 0) {
            throw new IllegalStateException("mount " + source + " on " + target + ": " + ErrnoText.last());
        }
    }

    private static void mountRaw(String source, String target, String type, long flags) {
        mountRaw(source, target, type, flags, null);
    }

    private static Command sh(String name, String script) {
        return Command.of(name, List.of("/bin/sh", "-c", script));
    }

    private static void syslog(Path scratch) throws Exception {
        privateDev(scratch);
        LinuxPorts linux = LinuxPorts.create(NvrcPaths.system());
        check("qlen.before", linux.sysctl().read("net.unix.max_dgram_qlen"));
        linux.syslog().bind();
        check("qlen.after", linux.sysctl().read("net.unix.max_dgram_qlen"));
        LinuxSyslogSink sink = linux.syslog();
        check("devlog.path", sink.path());
        check("devlog.mode", PosixFilePermissions.toString(Files.getPosixFilePermissions(sink.path())));
        try (DatagramSender s = new DatagramSender(LinuxSyslogSink.DEV_LOG)) {
            s.send("<13>hello from the sandbox \t\n");
        }
        sink.sync(WAIT);
        check("strip", sink.recentMessages(1).get(0));

        linux.processes().run(Command.of("logger", List.of("/usr/bin/logger", "-t", "nvrc-sbx", "--id=4242", "via logger")), WAIT);
        sink.sync(WAIT);
        check("logger", sink.recentMessages(1).get(0));

        Daemon sleeper = linux.processes().start(Command.of("sleeper", List.of("/bin/sleep", "120")));
        List<Long> latencies = new ArrayList<>();
        try (DatagramSender s = new DatagramSender(LinuxSyslogSink.DEV_LOG)) {
            for (int i = 0; i < 20; i++) {
                String marker = "Local RPC services initialized " + i;
                try (MarkerWatch w = sink.watch(marker)) {
                    CompletableFuture<Long> sentAt = new CompletableFuture<>();
                    Thread sender = new Thread(() -> {
                        try {
                            Thread.sleep(10);
                            sentAt.complete(System.nanoTime());
                            s.send("<29>Nov 25 10:00:00 nvidia-persistenced[77]: " + marker);
                        } catch (Exception e) {
                            sentAt.completeExceptionally(e);
                        }
                    });
                    sender.start();
                    w.await(sleeper, WAIT);
                    latencies.add(System.nanoTime() - sentAt.get());
                    sender.join();
                }
            }
        }
        latencies.sort(null);
        check("marker.median_us", latencies.get(latencies.size() / 2) / 1000);
        check("marker.max_us", latencies.get(latencies.size() - 1) / 1000);

        long[] markerSent = new long[1];
        try (MarkerWatch w = sink.watch("CHATTY-READY"); DatagramSender s = new DatagramSender(LinuxSyslogSink.DEV_LOG)) {
            Thread chatty = new Thread(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        s.send("<7>chatty[3]: line " + i + " " + "x".repeat(100));
                    }
                    markerSent[0] = System.nanoTime();
                    s.send("<6>chatty[3]: CHATTY-READY");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            chatty.start();
            w.await(sleeper, WAIT);
            long seen = System.nanoTime();
            chatty.join();
            check("chatty.marker_us", (seen - markerSent[0]) / 1000);
            check("chatty.max_send_us", s.maxSendNanos() / 1000);
        }

        // No --id: logger's SCM_CREDENTIALS for another pid is refused in a user namespace (EINVAL);
        // the line is credited to the daemon by its identifier instead.
        Daemon dying = linux.processes().start(sh("nv-fabricmanager",
                "logger -t nv-fabricmanager 'cannot open /run/fabricmanager.cfg'; exit 4"));
        try (MarkerWatch w = sink.watch("FM starting NvLink Inband")) {
            long start = System.nanoTime();
            try {
                w.await(dying, Duration.ofSeconds(120));
                check("death", "no failure");
            } catch (BootFailure e) {
                check("death.ms", (System.nanoTime() - start) / 1_000_000);
                check("death.message", e.getMessage());
            }
        }

        KernelLog.useKmsg(Files.createFile(scratch.resolve("kmsg")));
        KernelLog.setLevel(LogLevel.OFF);
        check("burst.qlen4096.log_off", Burst.run(LinuxSyslogSink.DEV_LOG, sink, 4, 100_000));
        KernelLog.setLevel(LogLevel.DEBUG);
        check("burst.qlen4096.log_debug", Burst.run(LinuxSyslogSink.DEV_LOG, sink, 4, 100_000));
        try (var lines = Files.lines(scratch.resolve("kmsg"))) {
            check("kmsg.lines", lines.count());
        }
        KernelLog.setLevel(LogLevel.OFF);

        // The kernel default, for comparison: a socket takes the queue length it is created with.
        linux.sysctl().write("net.unix.max_dgram_qlen", "10");
        Path small = scratch.resolve("log10");
        try (LinuxSyslogSink ten = new LinuxSyslogSink(small, Pid1Guard.system(), SyslogOptions.DEFAULT)) {
            ten.open();
            check("burst.qlen10.log_off", Burst.run(small, ten, 4, 100_000));
        }
    }

    private static void processes(Path scratch) throws Exception {
        scratchTmpfs(scratch, "proc");
        NvrcPaths ns = NvrcPaths.under(scratch);
        // The host's /proc shows host pids; a proc mounted here shows this PID namespace.
        new LinuxMounts(ns, Pid1Guard.system()).mount(BootMounts.PROC);
        Path proc = scratch.resolve("proc");
        LinuxProcessRunner runner = new LinuxProcessRunner();
        long orphansBefore = LinuxProcessRunner.orphansReaped();
        try {
            runner.run(sh("double-fork", "(sleep 0.2 &) ; exit 3"), WAIT);
            check("tracked", "no failure");
        } catch (BootFailure e) {
            check("tracked.message", e.getMessage());
        }
        check("zombies.during", zombies(proc));
        Thread.sleep(800);
        check("orphans.reaped", LinuxProcessRunner.orphansReaped() - orphansBefore);
        check("zombies", zombies(proc));
        check("processes", processList(proc));

        Daemon selfKill = runner.start(sh("self-kill", "kill -TERM $$"));
        CompletableFuture<ExitStatus> killed = new CompletableFuture<>();
        selfKill.onExit(killed::complete);
        check("daemon.signal", killed.get(10, TimeUnit.SECONDS));

        LinuxInitControl init = new LinuxInitControl(ns, Pid1Guard.system());
        long[] limit = init.openFileLimit();
        check("rlimit.before", limit[0] + "/" + limit[1]);
        init.setOpenFileLimit(4096, limit[1]);
        Daemon child = runner.start(Command.of("sleeper", List.of("/bin/sleep", "60")));
        check("rlimit.child", maxOpenFiles(proc.resolve(child.pid() + "/limits")));
        try {
            init.setOpenFileLimit(1048576, 1048576);
            check("rlimit.boot", "ok " + maxOpenFiles(proc.resolve("self/limits")));
        } catch (BootFailure e) {
            check("rlimit.boot", e.getMessage());
        }
        init.setOomScoreAdj(child.pid(), 500);
        check("oom.child", KernelFile.read(proc.resolve(child.pid() + "/oom_score_adj")).trim());
        try {
            init.setOomScoreAdj(child.pid(), -997);
            check("oom.child.lower", KernelFile.read(proc.resolve(child.pid() + "/oom_score_adj")).trim());
        } catch (BootFailure e) {
            check("oom.child.lower", e.getMessage());
        }
        init.setOomScoreAdj(0, 100);
        check("oom.self", KernelFile.read(proc.resolve("self/oom_score_adj")).trim());
        try {
            init.setOomScoreAdj(0, -997);
            check("oom.self.boot", KernelFile.read(proc.resolve("self/oom_score_adj")).trim());
        } catch (BootFailure e) {
            check("oom.self.boot", e.getMessage());
        }
        try {
            init.setOomScoreAdj(0, 5000);
        } catch (BootFailure e) {
            check("oom.range", e.getMessage());
        }
    }

    private static long zombies(Path proc) throws Exception {
        long n = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path p : dir) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                        n++;
                    }
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return n;
    }

    private static String processList(Path proc) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path p : dir) {
                try {
                    out.put(Integer.parseInt(p.getFileName().toString()), Files.readString(p.resolve("comm")).trim());
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return out.toString();
    }

    private static String maxOpenFiles(Path limits) throws Exception {
        for (String line : KernelFile.read(limits).split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return f[0] + "/" + f[1];
            }
        }
        return "?";
    }

    private static void sysctl() throws Exception {
        LinuxSysctl sysctl = new LinuxSysctl(NvrcPaths.system(), Pid1Guard.system());
        String panic = sysctl.read("kernel.panic");
        check("panic.before", panic);
        // The current value: even if the write went through, the host would not change.
        try {
            sysctl.write("kernel.panic", panic);
            check("panic.write", "ok");
        } catch (BootFailure e) {
            check("panic.write", e.getMessage());
        }
        // 0 is rejected by the kernel even with permission (the only valid value is 1, one-way).
        try {
            sysctl.write("kernel.modules_disabled", "0");
            check("modules_disabled.write", "ok");
        } catch (BootFailure e) {
            check("modules_disabled.write", e.getMessage());
        }
        try {
            KernelLog.configure(LogLevel.DEBUG, sysctl);
            check("printk_devkmsg.write", "ok");
        } catch (BootFailure e) {
            check("printk_devkmsg.write", e.getMessage());
        }
        KernelLog.setLevel(LogLevel.OFF);
        check("qlen.before", sysctl.read("net.unix.max_dgram_qlen"));
        sysctl.write("net.unix.max_dgram_qlen", "512");
        check("qlen.after", sysctl.read("net.unix.max_dgram_qlen"));
    }

    private static void execve(Path scratch) throws Exception {
        scratchTmpfs(scratch, "proc", "dev");
        NvrcPaths root = NvrcPaths.under(scratch);
        new LinuxMounts(root, Pid1Guard.system()).mount(BootMounts.PROC);
        LinuxPorts linux = LinuxPorts.create(root);
        LinuxSyslogSink sink = linux.syslog();
        sink.open();
        try (DatagramSender s = new DatagramSender(sink.path())) {
            s.send("<6>read by the JVM");
            sink.sync(WAIT);
            sink.clearCloseOnExec();
            check("handoff.stopped", sink.stopReader());
            s.send("<6>queued for the drainer");
        }
        int fd = sink.fd();
        check("handoff.fd", fd);
        String proc = scratch.resolve("proc").toString();
        Path fds = scratch.resolve("fds.txt");
        // bash, not dash: dash cannot redirect from a descriptor above 9. The descriptor list is taken
        // by ls into a file, so that no pipe of the shell's own shows up in it.
        String script = String.join("\n",
                "echo \"CHECK exec.pid=$$\"",
                // First, with builtins only: bash blocks signals of its own while it waits for children.
                "while read -r k v; do [ \"$k\" = SigBlk: ] && echo \"CHECK exec.sigblk=$v\"; done < " + proc + "/$$/status",
                "ls -l " + proc + "/$$/fd > " + fds,
                "sed -n 's/.* \\([0-9]*\\) -> \\(.*\\)$/CHECK exec.fd.\\1=\\2/p' " + fds,
                "echo \"CHECK exec.env=$(tr '\\0' ' ' < " + proc + "/$$/environ)\"",
                "echo \"CHECK exec.drained=$(timeout 5 dd bs=65536 count=1 <&" + fd + " 2>/dev/null)\"",
                "echo \"CHECK done=1\"");
        System.out.flush();
        linux.init().execve("/bin/bash", List.of("bash", "-c", script), Map.of("PATH", "/usr/bin:/bin", "NVRC_HANDOFF", "1"));
    }

    private static void powerOff() {
        check("poweroff.calling", 1);
        System.out.flush();
        new LinuxInitControl(NvrcPaths.system(), Pid1Guard.system()).powerOff();
        check("poweroff.returned", 1);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void refused(String name, Call call) {
        try {
            call.run();
            check("guard." + name, "NOT REFUSED");
        } catch (BootFailure e) {
            check("guard." + name, e.getMessage().startsWith("refusing to ") ? "refused" : "failed: " + e.getMessage());
        } catch (Exception e) {
            check("guard." + name, "error: " + e);
        }
    }

    /** Runs as a child of the namespace's PID 1: every guard must refuse, and nothing here could harm the host. */
    private static void guard() throws Exception {
        LinuxPorts linux = LinuxPorts.create(NvrcPaths.system());
        LinuxInitControl init = linux.init();
        long[] limit = init.openFileLimit();
        String qlen = linux.sysctl().read("net.unix.max_dgram_qlen");
        refused("mount", () -> linux.mounts().mount(new MountRequest("tmpfs", "/nonexistent-nvrc", "tmpfs", 0, null, false)));
        refused("remount", () -> linux.mounts().remountReadOnly("/nonexistent-nvrc"));
        refused("loopback", () -> linux.network().loopbackUp());
        refused("sysctl", () -> linux.sysctl().write("net.unix.max_dgram_qlen", qlen));
        refused("rlimit", () -> init.setOpenFileLimit(limit[0], limit[1]));
        refused("oom", () -> init.setOomScoreAdj(0, 0));
        refused("execve", () -> init.execve("/nonexistent-nvrc", List.of("x"), Map.of()));
        refused("devlog", () -> new LinuxSyslogSink(LinuxSyslogSink.DEV_LOG, Pid1Guard.system(), SyslogOptions.DEFAULT).open());
        try {
            init.powerOff();
            check("guard.poweroff", "NOT REFUSED");
        } catch (IllegalStateException e) {
            check("guard.poweroff", e.getMessage().startsWith("refusing to power off") ? "refused" : e.getMessage());
        }
    }

    private static void ready(Path scratch) throws Exception {
        long mainStart = System.nanoTime();
        scratchTmpfs(scratch, "proc", "sys", "dev", "run", "tmp");
        LinuxPorts linux = LinuxPorts.create(NvrcPaths.under(scratch));
        for (MountRequest r : BootMounts.STANDARD) {
            linux.mounts().mount(r == BootMounts.DEV ? SANDBOX_DEV : r);
        }
        linux.network().loopbackUp();
        linux.syslog().bind();
        linux.ports();
        long readyNanos = System.nanoTime();
        long readyMillis = System.currentTimeMillis();
        check("ready.since_jvm_start_ms", readyMillis - ManagementFactory.getRuntimeMXBean().getStartTime());
        check("ready.main_ms", (readyNanos - mainStart) / 1_000_000);
        check("ready.since_exec_ms", sinceExecMillis());
    }

    /** Time since this process was created, from /proc (10 ms resolution). */
    private static long sinceExecMillis() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long startTicks = Long.parseLong(f[19]);
        double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        return Math.round(uptime * 1000 - startTicks * 10.0);
    }
}
