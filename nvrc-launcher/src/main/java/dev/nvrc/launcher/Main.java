package dev.nvrc.launcher;

/** Entry point of {@code nvrc.jar} and of the boot image's JVM. */
public final class Main {
    private Main() {}

    /** As PID 1 boots the VM (never returns); otherwise runs the command-line tool. */
    public static void main(String[] args) {
        if (ProcessHandle.current().pid() == 1) {
            // HotSpot's nanoTime is CLOCK_MONOTONIC on Linux: ms since the kernel booted.
            long mainUptimeMs = System.nanoTime() / 1_000_000;
            dev.nvrc.launcher.boot.Boot.run(mainUptimeMs);
            return;
        }
        System.exit(Cli.run(args, System.out, System.err));
    }
}
