package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code nvidia-uvm-tools}: creates {@code /dev/nvidia-uvm-tools} with {@code nvrc.uvm.tools}, right
 * after {@code nvidia-uvm} is loaded and before nvidia-persistenced and the CDI spec (which then
 * lists it). The driver registers the node's major (shared with {@code nvidia-uvm}, allocated at
 * load time) but no udev runs in the guest to make the node; its minor is fixed at 1 by the
 * driver ({@code kernel-open/nvidia-uvm/uvm_common.h}). Mode 0666 as NVIDIA's own nodes.
 *
 * <p>The major is read from the {@code Character devices:} section of {@code /proc/devices}, the
 * line {@code <major> nvidia-uvm}; a missing, zero or malformed one stops the boot, as does a node
 * that exists already (something else made it, and its numbers cannot be trusted).
 */
final class UvmToolsNodeStep implements Step {
    static final String NAME = "nvidia-uvm-tools";
    static final String NODE = "/dev/nvidia-uvm-tools";
    static final String PROC_DEVICES = "/proc/devices";
    static final int MINOR = 1;
    static final int MODE = 0666;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", NODE);
        d.put("major", "nvidia-uvm's, from " + PROC_DEVICES);
        d.put("minor", MINOR);
        d.put("mode", String.format("%04o", MODE));
        return PlanEntry.of(NAME, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        String devices;
        try {
            devices = new String(BoundedFile.read(context.paths().resolve(PROC_DEVICES), BoundedFile.KERNEL_FILE),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new BootFailure("cannot read " + PROC_DEVICES + " for nvidia-uvm's major: " + IoReason.of(e), e);
        }
        int major = uvmMajor(devices).orElseThrow(() -> new BootFailure(PROC_DEVICES + " lists no character device"
                + " 'nvidia-uvm' with a valid major (is nvidia-uvm loaded?), so " + NODE + " cannot be made"));
        context.ports().deviceNodes().createCharacterDevice(NODE, major, MINOR, MODE);
    }

    /**
     * The major of the line {@code <major> nvidia-uvm} in the {@code Character devices:} section
     * (before {@code Block devices:}): a whole number from 1 to 4095 (the kernel's char majors),
     * the line exactly two fields.
     */
    static OptionalInt uvmMajor(String devices) {
        boolean characterDevices = false;
        for (String line : devices.split("\n", -1)) {
            String t = line.strip();
            if (t.equals("Character devices:")) {
                characterDevices = true;
                continue;
            }
            if (t.equals("Block devices:")) {
                characterDevices = false;
                continue;
            }
            String[] fields = t.split("\\s+");
            if (characterDevices && fields.length == 2 && fields[1].equals("nvidia-uvm")) {
                String digits = fields[0];
                if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return OptionalInt.empty();
                }
                int major = Integer.parseInt(digits);
                return major >= 1 && major <= 4095 ? OptionalInt.of(major) : OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }
}
