package dev.nvrc.vmtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one VM harness as a command, for the scripts (scripts/demo.sh, scripts/bench-boot.sh, through
 * scripts/vm-boot.sh): boots the guest once with {@link Vm} (its QEMU command line for both
 * architectures, {@link VmConfig}'s kernel rule, {@link ConsoleClassifier}'s verdict, the JVM-crash
 * retry) and writes, in the output directory:
 * <ul>
 *   <li>{@code <name>.log}: the console ({@code \n} line ends), after a {@code # <outcome> ...} line;
 *   <li>{@code <name>.boot.json}: /run/nvrc/boot.json as the stub agent printed it, when it did;
 *   <li>{@code <name>.outcome}: one line, {@code <OUTCOME> <QEMU seconds> [<why>]}, also printed on
 *       stdout: the {@link Outcome}, QEMU's wall time, and for any outcome but HANDOFF_OK what went
 *       wrong (the failure line, else the console's last line);
 *   <li>{@code <name>.figures.tsv}: the boot benchmark's row of this boot ({@link BootFigures#tsv()}).
 * </ul>
 * Exit status: 0 only on {@link Outcome#HANDOFF_OK}, 1 on any other outcome, 2 when nothing was
 * booted (bad arguments, or no QEMU, kernel or initramfs: the reasons on stderr).
 *
 * <pre>
 * VmBoot --name N --cmdline 'SCENARIO TOKENS' [--initrd PATH] [--kernel PATH] [--arch x86_64|aarch64]
 *        [--out DIR] [--timeout SECONDS] [--print-command]
 * </pre>
 * The kernel command line is {@link VmConfig#baseCmdline} followed by {@code --cmdline} (a later
 * token wins in the kernel, so {@code loglevel=7} there overrides the base's). Settings not given
 * come from the system properties and the environment as for the VM tests ({@link VmConfig}):
 * {@code NVRC_VM_KERNEL}, {@code NVRC_VM_QEMU}, {@code NVRC_ARCH_CACHE}, ... The timeout (default
 * 300 s) is for a guest of this machine's architecture; an emulated one gets
 * {@link VmConfig#EMULATED_SLOWDOWN} times as long. {@code --print-command} prints QEMU's argv
 * (one line, space-separated) and boots nothing.
 */
public final class VmBoot {
    /** Exit status when nothing was booted. */
    static final int USAGE = 2;
    /** The default timeout, seconds. */
    static final int DEFAULT_TIMEOUT_S = 300;

    private static final String USAGE_LINE = "usage: vm-boot --name NAME --cmdline 'TOKENS' [--initrd PATH] [--kernel PATH]"
            + " [--arch x86_64|aarch64] [--out DIR] [--timeout SECONDS] [--print-command]";

    private VmBoot() {}

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System::getProperty, System.getenv(),
                new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    /**
     * The command with its settings from {@code properties} and {@code env} under the arguments.
     *
     * @return the exit status
     */
    static int run(List<String> args, Function<String, String> properties, Map<String, String> env, PrintStream out,
            PrintStream err) {
        Map<String, String> opts = new HashMap<>();
        boolean printCommand = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--print-command")) {
                printCommand = true;
                continue;
            }
            if (!List.of("--name", "--cmdline", "--initrd", "--kernel", "--arch", "--out", "--timeout").contains(a)) {
                return usage(err, "unknown argument '" + a + "'");
            }
            if (i + 1 >= args.size()) {
                return usage(err, a + " needs a value");
            }
            opts.put(a.substring(2), args.get(++i));
        }
        String cmdline = opts.get("cmdline");
        if (cmdline == null) {
            return usage(err, "--cmdline is required (the scenario's kernel command line tokens; '' for none)");
        }
        String name = opts.get("name");
        if (!printCommand && (name == null || !name.matches("[A-Za-z0-9._-]+"))) {
            return usage(err, "--name is required: letters, digits, '.', '_', '-'");
        }
        int timeout;
        try {
            timeout = Integer.parseInt(opts.getOrDefault("timeout", String.valueOf(DEFAULT_TIMEOUT_S)));
        } catch (NumberFormatException e) {
            return usage(err, "--timeout takes whole seconds: " + opts.get("timeout"));
        }
        if (timeout <= 0) {
            return usage(err, "--timeout takes a positive number of seconds: " + timeout);
        }
        Path dir = Path.of(opts.getOrDefault("out", "."));
        Map<String, String> given = new HashMap<>();
        copy(opts, "initrd", given, "nvrc.vm.initramfs");
        copy(opts, "kernel", given, "nvrc.vm.kernel");
        copy(opts, "arch", given, "nvrc.arch");
        if (!printCommand) {
            given.put("nvrc.vm.logs", dir.toString());
        }
        VmConfig config;
        try {
            config = VmConfig.from(key -> given.containsKey(key) ? given.get(key) : properties.apply(key), env);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        Vm vm = new Vm(config);
        if (printCommand) {
            out.println(String.join(" ", vm.command(cmdline)));
            return 0;
        }
        List<String> missing = config.missing();
        if (!missing.isEmpty()) {
            err.println("vm-boot: cannot boot: " + String.join("; ", missing));
            return USAGE;
        }
        VmRun run = vm.run(name, cmdline, Duration.ofSeconds(timeout));
        String line = outcomeLine(run);
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(name + ".boot.json");
            if (run.bootJson().isPresent()) {
                Files.writeString(json, run.bootJson().get());
            } else {
                Files.deleteIfExists(json);
            }
            Files.writeString(dir.resolve(name + ".outcome"), line + "\n");
            Files.writeString(dir.resolve(name + ".figures.tsv"), BootFigures.of(run).tsv() + "\n");
        } catch (IOException e) {
            err.println("vm-boot: cannot write in " + dir + ": " + e.getMessage());
            return USAGE;
        }
        out.println(line);
        return run.outcome() == Outcome.HANDOFF_OK ? 0 : 1;
    }

    /** {@code <OUTCOME> <seconds> [<why>]}: why only when the outcome is not HANDOFF_OK. */
    static String outcomeLine(VmRun run) {
        String head = run.outcome() + " " + String.format(Locale.ROOT, "%.1f", run.wallTime().toMillis() / 1000.0);
        if (run.outcome() == Outcome.HANDOFF_OK) {
            return head;
        }
        String why = run.failedLine().orElseGet(() -> {
            List<String> lines = run.console().lines().filter(l -> !l.isBlank()).toList();
            return "the guest did not reach the agent; last console line: "
                    + (lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1).strip());
        });
        return head + " " + why;
    }

    private static void copy(Map<String, String> opts, String opt, Map<String, String> to, String key) {
        if (opts.containsKey(opt)) {
            to.put(key, opts.get(opt));
        }
    }

    private static int usage(PrintStream err, String why) {
        err.println("vm-boot: " + why);
        err.println(USAGE_LINE);
        return USAGE;
    }
}
