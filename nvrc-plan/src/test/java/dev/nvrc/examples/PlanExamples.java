package dev.nvrc.examples;

import dev.nvrc.core.api.NvrcException;
import dev.nvrc.plan.api.GuestPlan;
import dev.nvrc.plan.api.PlannedStep;
import java.nio.file.Path;

/**
 * The fourth example of docs/library.md, what a guest will run, as code the build compiles and
 * runs (nvrc-plan depends on the modules of the other three, which live in nvrc-gpu's tests):
 * the same rules as {@code LibraryExamples}, and LibraryDocTest holds both files to the page.
 */
public final class PlanExamples {
    private PlanExamples() {
    }

    // example: plan
    /** The programs a guest will run for a command line, with their arguments, then its CDI devices. */
    public static String whatWillRun(String commandLine, Path root) throws NvrcException {
        GuestPlan plan = GuestPlan.of(commandLine, root); // the plan nvrc plan --json prints: plan.toJson()
        StringBuilder out = new StringBuilder("mode " + plan.mode().mode() + ", " + plan.layout() + "\n");
        for (PlannedStep step : plan.programs()) {
            out.append(step.name()).append(": ").append(String.join(" ", step.argv()))
                    .append(step.awaits().map(marker -> " (awaits " + marker + ")").orElse("")).append('\n');
        }
        return out.append("cdi devices: ").append(plan.cdiDevices().map(String::valueOf)
                .orElse("none known before the driver is loaded")).append('\n').toString();
    }
    // end example
}
