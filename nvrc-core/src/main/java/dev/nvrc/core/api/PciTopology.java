package dev.nvrc.core.api;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GivenRoot;
import dev.nvrc.core.topology.TopologyReader;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The PCI functions nvrc's mode detection counts, each list sorted by address: NVIDIA GPUs
 * (class 0x03xxxx), NVSwitches (NVIDIA, class 0x0680xx) and the NVLink 5 switch-management NICs
 * (Mellanox physical functions whose VPD carries {@code SMDL=SW_MNG}, and their unmarked siblings
 * in the same slot). docs/mode-and-topology.md has the rules, and which odd files fail rather
 * than being guessed at. The init's own boot reads and decides on this same value. Immutable (the
 * lists are unmodifiable copies), and so safe to share between threads.
 *
 * @param gpus the NVIDIA GPUs
 * @param nvSwitches the NVSwitches
 * @param swMngNics the SW_MNG NICs
 */
public record PciTopology(List<PciFunction> gpus, List<PciFunction> nvSwitches, List<PciFunction> swMngNics) {
    /**
     * Copies and sorts the lists by address.
     *
     * @param gpus the NVIDIA GPUs
     * @param nvSwitches the NVSwitches
     * @param swMngNics the SW_MNG NICs
     * @throws NullPointerException when a list or an element is null
     */
    public PciTopology {
        // List.copyOf right here: SpotBugs sees the components are unmodifiable.
        gpus = List.copyOf(sorted(gpus));
        nvSwitches = List.copyOf(sorted(nvSwitches));
        swMngNics = List.copyOf(sorted(swMngNics));
    }

    /**
     * Reads the PCI functions of the machine or image tree at {@code root}: its
     * {@code sys/bus/pci/devices} (a tree whose {@code sys} has no such directory has no PCI bus
     * and an empty topology). {@code Path.of("/")} reads the running machine; reading never writes.
     *
     * @param root the root of the tree whose {@code /sys} is read
     * @return the topology
     * @throws NvrcException when {@code root} is not a directory or has no {@code sys} directory
     *     (refused alike by every api call that reads a tree), when a file the counts depend on is
     *     missing, unreadable or malformed, or an NVIDIA function has a class nvrc does not know;
     *     the message starts with {@code under <root>: }, the root as given, and names the file
     *     as a path in the tree ({@code /sys/bus/pci/devices/...})
     */
    public static PciTopology read(Path root) throws NvrcException {
        GivenRoot tree = GivenRoot.open(root);
        try {
            return new TopologyReader(tree.paths()).read();
        } catch (BootFailure e) {
            throw new NvrcException(tree.explain(e.getMessage()), e.getCause());
        }
    }

    /**
     * The counts, as the init's messages give them.
     *
     * @return {@code "8 GPU, 4 NVSwitch, 0 SW_MNG NIC"}
     */
    public String summary() {
        return gpus.size() + " GPU, " + nvSwitches.size() + " NVSwitch, " + swMngNics.size() + " SW_MNG NIC";
    }

    private static List<PciFunction> sorted(List<PciFunction> functions) {
        return functions.stream().map(f -> Objects.requireNonNull(f, "PCI function"))
                .sorted(Comparator.comparing(PciFunction::bdf)).toList();
    }
}
