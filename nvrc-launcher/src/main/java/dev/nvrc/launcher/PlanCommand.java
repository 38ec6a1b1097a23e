package dev.nvrc.launcher;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GivenRoot;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.ConfigProblem;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.plan.BootPlan;
import dev.nvrc.plan.PlanJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code plan --cmdline 'LINE' --root DIR [--json]}: the ordered steps the init would take for
 * that command line on the machine under DIR, without touching anything. A contract scripts rely
 * on: {@code --json} prints an array of objects with {@code "step"}, {@code "argv"} where a
 * program runs, and the step's details.
 */
final class PlanCommand {
    private PlanCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String cmdline = null;
        Path root = null;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--cmdline") && i + 1 < args.size()) {
                cmdline = args.get(++i);
            } else if (a.equals("--root") && i + 1 < args.size()) {
                root = Path.of(args.get(++i));
            } else {
                return usage(err);
            }
        }
        if (cmdline == null || root == null) {
            return usage(err);
        }
        NvrcPaths paths;
        try {
            // A root without sys would plan a machine without PCI devices (mode cpu): a wrong
            // answer, so it is refused as the library's GuestPlan refuses it.
            paths = GivenRoot.open(root).paths();
        } catch (NvrcException e) {
            err.println("nvrc: " + e.getMessage());
            return Cli.EXIT_INVALID;
        }
        List<PlanEntry> plan;
        try {
            plan = BootPlan.preview(cmdline, paths).entries();
        } catch (InvalidCommandLineException e) {
            for (ConfigProblem p : e.problems()) {
                err.println("nvrc: " + p);
            }
            return Cli.EXIT_INVALID;
        } catch (BootFailure e) {
            err.println("nvrc: " + e.getMessage());
            return Cli.EXIT_INVALID;
        }
        if (json) {
            out.println(toJson(plan));
        } else {
            int n = 1;
            for (PlanEntry e : plan) {
                out.printf("%3d  %s%s%n", n++, e.step(), e.argv().isEmpty() ? "" : ": " + String.join(" ", e.argv()));
                e.details().forEach((k, v) -> out.println("       " + k + ": " + v));
            }
        }
        return 0;
    }

    /** {@code --json}'s text: {@link PlanJson}, which the library's {@code GuestPlan.toJson()} also writes. */
    static String toJson(List<PlanEntry> plan) {
        return PlanJson.toJson(plan);
    }

    private static int usage(PrintStream err) {
        err.println("nvrc: usage: plan --cmdline 'LINE' --root DIR [--json]");
        return Cli.EXIT_INVALID;
    }
}
