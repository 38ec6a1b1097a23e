package dev.nvrc.plan;

import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.system.BootMounts;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link BootMachine} over the testkit's fakes and a fixture tree: the kernel log is a list
 * of lines, /dev/log a flag and descriptor 7, the clock a counter, the uncaught-exception
 * handler is kept rather than installed, and a finished thread throws {@link Parked}.
 */
public final class FakeBootMachine {
    /** Thrown where production parks forever: the thread's part of the boot is over. */
    public static final class Parked extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** The sha256 the fake says its jar has. */
    public static final String SHA256 = "0".repeat(64);

    public final FakePorts fakes = new FakePorts();
    public final SysfsFixture tree;
    public final List<String> kmsg = new CopyOnWriteArrayList<>();
    public final AtomicLong clock = new AtomicLong();
    public final AtomicReference<Thread.UncaughtExceptionHandler> uncaught = new AtomicReference<>();
    private volatile LogLevel level = LogLevel.OFF;

    /**
     * A machine whose files are {@code tree}, booted with {@code cmdline} in its /proc/cmdline,
     * with an executable {@code /usr/bin/kata-agent} as every image has (a test removes it to see
     * the boot refuse).
     */
    public FakeBootMachine(SysfsFixture tree, String cmdline) {
        this.tree = tree;
        try {
            Files.createDirectories(tree.root().resolve("proc"));
            Files.writeString(tree.root().resolve("proc/cmdline"), cmdline + "\n", StandardCharsets.UTF_8);
            Path agent = tree.root().resolve(HandoffStep.AGENT.substring(1));
            if (!Files.exists(agent)) {
                Files.createDirectories(agent.getParent());
                Files.writeString(agent, "#!/bin/sh\n");
                Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine as the launcher's {@code Boot} takes it, and as {@code BootPlanWalkTest} walks it. */
    public BootMachine machine() {
        return new BootMachine(tree.paths(), fakes.ports(), log(), clock::get, Map.of("HOME", "/", "TERM", "linux",
                "LD_ORIGIN_PATH", "/usr/lib/nvrc"), BootMounts.STANDARD, uncaught::set, () -> {
                    throw new Parked();
                }, new BootMachine.Identity() {
                    @Override
                    public String version() {
                        return "test";
                    }

                    @Override
                    public String sha256() {
                        return SHA256;
                    }
                });
    }

    /** The kernel log's lines that are failure lines. */
    public List<String> failedLines() {
        return kmsg.stream().filter(l -> l.startsWith("nvrc: FAILED ")).toList();
    }

    private BootLog log() {
        return new BootLog() {
            @Override
            public void useKmsg() {
                kmsg.add("(kmsg)");
            }

            @Override
            public void configure(LogLevel newLevel, Sysctl sysctl) throws dev.nvrc.core.BootFailure {
                level = newLevel;
                if (newLevel != LogLevel.OFF) {
                    sysctl.write("kernel.printk_devkmsg", "on\n");
                }
            }

            @Override
            public void info(String message) {
                if (level.enables(LogLevel.INFO)) {
                    kmsg.add("nvrc: " + message);
                }
            }

            @Override
            public void failureLine(String line) {
                kmsg.add("nvrc: " + line);
            }
        };
    }
}
