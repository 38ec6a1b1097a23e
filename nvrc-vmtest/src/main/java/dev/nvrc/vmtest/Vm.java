package dev.nvrc.vmtest;

import dev.nvrc.core.Arch;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Boots the guest in QEMU and classifies the console. One VM at a time per call; runs are
 * independent (the initramfs is read-only to QEMU).
 *
 * <pre>{@code
 * VmRun run = Vm.boot("nvrc.mode=cpu agent.expect_devices=none", Duration.ofMinutes(2));
 * assertThat(run.outcome()).as(run.console()).isEqualTo(Outcome.HANDOFF_OK);
 * }</pre>
 */
public final class Vm {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final VmConfig config;

    /** A VM launcher with {@code config}. */
    public Vm(VmConfig config) {
        this.config = config;
    }

    /** What this launcher boots with. */
    public VmConfig config() {
        return config;
    }

    /** Boots with the configuration from the environment ({@link VmConfig#fromEnvironment()}). */
    public static VmRun boot(String scenarioCmdline, Duration timeout) {
        return new Vm(VmConfig.fromEnvironment()).run(null, scenarioCmdline, timeout);
    }

    /** Like {@link #boot(String, Duration)}, saving the console as {@code <name>.log} in the logs directory. */
    public static VmRun boot(String name, String scenarioCmdline, Duration timeout) {
        return new Vm(VmConfig.fromEnvironment()).run(name, scenarioCmdline, timeout);
    }

    /**
     * Boots once; a JVM crash (seen rarely under TCG, not caused by the program) is retried once.
     *
     * @param name the console log's name, or null for a numbered one
     * @param timeout for a guest of this machine's architecture; one of another architecture gets
     *     {@link VmConfig#EMULATED_SLOWDOWN} times as long
     */
    public VmRun run(String name, String scenarioCmdline, Duration timeout) {
        return run(name, scenarioCmdline, timeout, List.of());
    }

    /**
     * Like {@link #run(String, String, Duration)}, with more QEMU arguments (a disk:
     * {@link #readOnlyDisk}). An emulated guest (another instruction set) gets
     * {@link VmConfig#EMULATED_SLOWDOWN} times the timeout.
     */
    public VmRun run(String name, String scenarioCmdline, Duration timeout, List<String> qemuArgs) {
        Duration limit = config.emulated() ? timeout.multipliedBy(VmConfig.EMULATED_SLOWDOWN) : timeout;
        VmRun first = once(scenarioCmdline, limit, 1, qemuArgs);
        VmRun run = first.outcome() == Outcome.JVM_CRASH ? once(scenarioCmdline, limit, 2, qemuArgs) : first;
        save(name, first, run);
        return run;
    }

    /** The full kernel command line of a scenario. */
    public String cmdline(String scenarioCmdline) {
        return (config.baseCmdline() + " " + scenarioCmdline).trim();
    }

    /**
     * A raw image attached read-only as a virtio-blk disk whose serial (what the guest reads in
     * {@code /sys/block/<dev>/serial}) is {@code serial}.
     */
    public static List<String> readOnlyDisk(Path image, String serial) {
        if (!serial.matches("[A-Za-z0-9._-]{1,20}")) {
            throw new IllegalArgumentException("a virtio-blk serial is 1 to 20 safe characters: " + serial);
        }
        String id = "disk-" + serial.replaceAll("[^A-Za-z0-9]", "");
        return List.of("-drive", "file=" + image.toAbsolutePath() + ",if=none,id=" + id + ",format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=" + id + ",serial=" + serial);
    }

    /** QEMU's argv with {@code qemuArgs} appended. */
    public List<String> command(String scenarioCmdline, List<String> qemuArgs) {
        List<String> cmd = new ArrayList<>(command(scenarioCmdline));
        cmd.addAll(qemuArgs);
        return cmd;
    }

    /**
     * QEMU's argv: q35 (x86_64) or virt (aarch64), TCG unless configured, no default devices,
     * serial console on stdout. On aarch64 {@code -cpu max} gets {@code pauth-impdef=on}: QEMU's
     * own hash for pointer authentication instead of emulating the architected QARMA cipher,
     * which Debian's kernel and libraries (built with branch protection) call on every function
     * return; measured under TCG, a gpu boot took 89 s with QARMA and 47 s without.
     */
    public List<String> command(String scenarioCmdline) {
        boolean arm = config.arch() == Arch.AARCH64;
        String machine = arm ? "virt" : "q35";
        List<String> cmd = new ArrayList<>(List.of(config.qemu(), "-machine",
                config.accel().equals("tcg") ? machine : machine + ",accel=" + config.accel(),
                "-cpu", arm ? "max,pauth-impdef=on" : "max", "-m", "1024", "-smp", "2", "-nodefaults", "-no-user-config", "-display", "none",
                "-serial", "stdio", "-no-reboot", "-kernel", config.kernel().toString(), "-initrd",
                config.initramfs().toString(), "-append", cmdline(scenarioCmdline)));
        return cmd;
    }

    private VmRun once(String scenarioCmdline, Duration timeout, int attempt, List<String> qemuArgs) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(command(scenarioCmdline, qemuArgs)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process qemu;
        try {
            qemu = pb.start();
        } catch (IOException e) {
            return new VmRun(cmdline(scenarioCmdline), "vmtest: cannot start " + config.qemu() + ": " + e.getMessage() + "\n",
                    Outcome.UNCLASSIFIED, attempt, Duration.ZERO);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(qemu.getInputStream(), out), "vm-console");
        reader.setDaemon(true);
        reader.start();
        boolean timedOut;
        try {
            timedOut = !qemu.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                qemu.destroyForcibly();
                qemu.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the VM ran", e);
        }
        String console;
        synchronized (out) {
            console = out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        }
        if (timedOut) {
            console += "\nvmtest: TIMEOUT after " + timeout.toSeconds() + " s: QEMU killed\n";
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        return new VmRun(cmdline(scenarioCmdline), console, ConsoleClassifier.classify(console, timedOut), attempt, wall);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // QEMU killed: what was read so far is the console.
        }
    }

    private void save(String name, VmRun first, VmRun last) {
        if (config.logs() == null) {
            return;
        }
        String file = (name == null ? String.format("vm-%03d", SEQUENCE.incrementAndGet()) : name.replaceAll("[^A-Za-z0-9._-]", "_"))
                + ".log";
        StringBuilder text = new StringBuilder();
        if (first != last) {
            text.append("# attempt 1: ").append(first).append('\n').append(first.console()).append("\n# attempt 2\n");
        }
        text.append("# ").append(last).append('\n').append(last.console());
        try {
            Files.createDirectories(config.logs());
            Files.writeString(config.logs().resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the console in " + config.logs(), e);
        }
    }

    /** Where the consoles are saved, or null. */
    public Path logs() {
        return config.logs();
    }

    /** The guest's architecture. */
    public Arch arch() {
        return config.arch();
    }
}
