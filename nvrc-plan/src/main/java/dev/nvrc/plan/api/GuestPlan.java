package dev.nvrc.plan.api;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GivenRoot;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.api.Settings;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.gpu.cdi.CdiDevice;
import dev.nvrc.gpu.cdi.CdiSpecGenerator;
import dev.nvrc.gpu.cdi.CdiSteps;
import dev.nvrc.plan.BootPlan;
import dev.nvrc.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a guest will run: the init's steps for a kernel command line on a machine or image tree,
 * as values. It is the plan the boot runs and {@code nvrc plan --json} prints, built by the same
 * code (the boot's own walk over the tree, deciding and never acting), so it cannot drift from
 * either; {@link #toJson()} is byte for byte what {@code nvrc plan --cmdline LINE --root DIR
 * --json} prints.
 *
 * <p>Only files under the root are read: the extension block devices ({@code /sys/block}), the PCI
 * devices, the image's programs and configs, and for the CDI devices the driver's files. Nothing
 * is mounted, started or written. Instances are immutable (every field final, every list
 * unmodifiable, every element immutable), and so safe to share between threads.
 *
 * <pre>{@code
 * GuestPlan plan = GuestPlan.of("nvrc.dcgm=on", Path.of("/mnt/image"));
 * for (PlannedStep step : plan.steps()) {
 *     if (step.runsProgram()) {
 *         System.out.println(String.join(" ", step.argv()));
 *     }
 * }
 * }</pre>
 */
public final class GuestPlan {
    private final Settings settings;
    private final ModeDecision mode;
    private final String layout;
    private final List<String> extensions;
    private final List<PlannedStep> steps;
    private final Optional<List<String>> cdiDevices;
    private final String json;

    private GuestPlan(Settings settings, ModeDecision mode, String layout, List<String> extensions,
            List<PlannedStep> steps, Optional<List<String>> cdiDevices, String json) {
        this.settings = settings;
        this.mode = mode;
        this.layout = layout;
        this.extensions = List.copyOf(extensions);
        this.steps = List.copyOf(steps);
        this.cdiDevices = cdiDevices.map(List::copyOf);
        this.json = json;
    }

    /**
     * The plan of the boot of the machine or image tree at {@code guestRoot} with
     * {@code commandLine}.
     *
     * @param commandLine the kernel command line, such as the contents of {@code /proc/cmdline}
     * @param guestRoot the root of an unpacked image, a fixture, or {@code Path.of("/")} (host path)
     * @return the plan
     * @throws NvrcException when {@code guestRoot} is not a directory or has no {@code sys}
     *     directory (refused alike by every api call that reads a tree); when the command line is
     *     invalid ({@link NvrcException#problems()} lists each problem, as
     *     {@link Settings#parse}); when the boot would stop before its steps are known (an
     *     extension device without its verity parameters, a PCI layout no mode fits); or when the
     *     tree holds the driver's files and the CDI spec cannot be generated from them. A message
     *     about the tree starts with {@code under <guestRoot>: }, the root as given.
     */
    public static GuestPlan of(String commandLine, Path guestRoot) throws NvrcException {
        Objects.requireNonNull(commandLine, "commandLine");
        GivenRoot tree = GivenRoot.open(guestRoot);
        Settings settings = Settings.parse(commandLine);
        BootPlan.Preview preview;
        try {
            preview = BootPlan.preview(commandLine, tree.paths());
        } catch (BootFailure e) {
            throw new NvrcException(tree.explain(e.getMessage()), e.getCause());
        }
        BootPlan.BootFacts facts = preview.facts();
        // The walk's own decision: the api's ModeDecision is the one the boot acts on.
        ModeDecision mode = facts.mode();
        List<PlannedStep> steps = preview.entries().stream()
                .map(e -> new PlannedStep(e.step(), e.argv(), e.details())).toList();
        return new GuestPlan(settings, mode, facts.layout().toString(), List.copyOf(new TreeSet<>(facts.layout().extensions())),
                steps, cdiDevices(tree, facts), PlanJson.toJson(preview.entries()));
    }

    /**
     * The devices of the spec the boot's {@code cdi} step writes: that step's generator with that
     * step's options ({@link CdiSteps#options(GuestLayout)}), over the tree.
     */
    private static Optional<List<String>> cdiDevices(GivenRoot tree, BootPlan.BootFacts facts) throws NvrcException {
        NvrcPaths paths = tree.paths();
        if (facts.mode().mode() != Mode.GPU || facts.config().cdi() != CdiBackend.NATIVE
                || !Files.isDirectory(paths.nvidiaGpus())) {
            return Optional.empty();
        }
        try {
            return Optional.of(CdiSpecGenerator.generate(paths, CdiSteps.options(facts.layout())).devices().stream()
                    .map(CdiDevice::name).toList());
        } catch (BootFailure e) {
            throw new NvrcException(tree.explain("cdi: " + e.getMessage()), e.getCause());
        }
    }

    /**
     * The command line's settings.
     *
     * @return what {@link Settings#parse} gives for the command line
     */
    public Settings settings() {
        return settings;
    }

    /**
     * The mode decision of the {@code topology} step.
     *
     * @return the mode, fabric and Fabric Manager settings the boot uses
     */
    public ModeDecision mode() {
        return mode;
    }

    /**
     * Where the NVIDIA user space is, as the {@code extensions} step decides it from the
     * {@code extension-<name>} block devices and the command line.
     *
     * @return {@code "base image"}, or the extensions' description such as
     *     {@code "gpu extension at /run/kata-extensions/gpu"}
     */
    public String layout() {
        return layout;
    }

    /**
     * The guest extensions the boot verifies and mounts.
     *
     * @return their names, sorted; empty for a monolithic image
     */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * Every step, in the boot's order, from the first mount to the handoff (or to the step where
     * the boot would fail, as {@code nvrc plan} shows it).
     *
     * @return the steps
     */
    public List<PlannedStep> steps() {
        return steps;
    }

    /**
     * The steps that run a program, in order: modules, daemons, nvidia-smi settings, the handoff.
     *
     * @return the steps whose {@link PlannedStep#runsProgram()} is true
     */
    public List<PlannedStep> programs() {
        return steps.stream().filter(PlannedStep::runsProgram).toList();
    }

    /**
     * One step by its name.
     *
     * @param name the step's stable name, such as {@code "nvidia-persistenced"}
     * @return the first step of that name, if the boot takes it
     */
    public Optional<PlannedStep> step(String name) {
        Objects.requireNonNull(name, "name");
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The CDI devices containers will see: the names in the spec the boot's {@code cdi} step
     * writes ({@code nvidia.com/gpu=<name>}).
     *
     * @return such as {@code [0, GPU-<uuid>, 1, GPU-<uuid>, all]}; empty when the boot writes no
     *     spec itself (a mode other than {@code gpu}, or {@code nvrc.cdi=ctk}) or the tree cannot
     *     tell yet (no {@code /proc/driver/nvidia/gpus}: an image whose driver is not loaded)
     */
    public Optional<List<String>> cdiDevices() {
        return cdiDevices;
    }

    /**
     * The plan as {@code nvrc plan --json} prints it: an array of objects with {@code "step"},
     * {@code "argv"} where a program runs, and the step's details.
     *
     * @return the JSON text, without a final newline
     */
    public String toJson() {
        return json;
    }

    /** Two plans are equal when their steps, decisions and devices are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GuestPlan p && json.equals(p.json) && settings.equals(p.settings) && mode.equals(p.mode)
                && layout.equals(p.layout) && cdiDevices.equals(p.cdiDevices);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "GuestPlan[" + mode.mode() + ", " + layout + ", " + steps.size() + " steps]";
    }
}
