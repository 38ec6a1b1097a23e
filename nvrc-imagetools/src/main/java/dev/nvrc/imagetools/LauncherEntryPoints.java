package dev.nvrc.imagetools;

import dev.nvrc.core.report.BootReport;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The launcher's entry points {@link CdsTraining} drives, found by name on the class path: this
 * module is built before the launcher (whose image build runs it), so it cannot compile against
 * it. nvrc-launcher's CdsTrainingTest runs the training against the real ones.
 */
final class LauncherEntryPoints {
    private static final MethodHandle CLI_RUN;
    private static final MethodHandle REPORT_JSON;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            CLI_RUN = lookup.findStatic(Class.forName("dev.nvrc.launcher.Cli"), "run",
                    MethodType.methodType(int.class, String[].class, PrintStream.class, PrintStream.class));
            REPORT_JSON = lookup.findStatic(Class.forName("dev.nvrc.plan.BootReportFile"), "toJson",
                    MethodType.methodType(String.class, BootReport.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LauncherEntryPoints() {}

    /** {@code Launcher.cli(args, out, err)}. */
    static int cli(String[] args, PrintStream out, PrintStream err) {
        try {
            return (int) CLI_RUN.invokeExact(args, out, err);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Launcher.reportJson(report)}. */
    static String reportJson(BootReport report) {
        try {
            return (String) REPORT_JSON.invokeExact(report);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
