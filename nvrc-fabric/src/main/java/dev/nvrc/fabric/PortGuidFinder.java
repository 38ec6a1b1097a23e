package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.Printable;
import dev.nvrc.core.topology.PciVpd;
import dev.nvrc.core.topology.SwitchManagementFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the ConnectX port that NVLSM manages and Fabric Manager binds to ({@code -g}) on an
 * NVLink 5 system, in {@code /sys/class/infiniband}, by upstream's newest rule.
 *
 * <p>A port qualifies when its device's PCI function ({@code /sys/class/infiniband/<dev>/device})
 * is a ConnectX management function ({@link SwitchManagementFunction#managesFabric}: marked
 * {@code SMDL=SW_MNG}, or the unmarked sibling of a marked one, the rule mode detection counts
 * by), the port number is above 0, its {@code link_layer} is {@code InfiniBand} and its
 * {@code cap_mask} has IsSMDisabled (bit 10, {@code 0x400}) clear. Compute ConnectX NICs beside the
 * GPUs never qualify, though their ports allow a subnet manager too. The qualifying ports are
 * ordered by PCI address, then port number, then device name, and the first is used. Its GUID is
 * the low 64 bits of {@code gids/0}, printed {@code 0x} and 16 lower-case hex digits.
 *
 * <p>Content that is not what the kernel writes is an error naming the file, for any port of a
 * management function (not only the chosen one): a missing {@code link_layer}, a {@code cap_mask}
 * that is not hex, a GID that is not 8 colon-separated groups of 4 hex digits, and a GUID of all
 * zeros (a port without an identity). No qualifying port at all fails listing every device and why.
 */
public final class PortGuidFinder {
    /** Where the kernel lists InfiniBand devices. */
    public static final String CLASS_DIR = "/sys/class/infiniband";
    /** IsSMDisabled in PortInfo:CapabilityMask. */
    public static final long IS_SM_DISABLED = 0x400;

    /** How much of a file's unexpected content a message quotes. */
    static final int QUOTE_LIMIT = 80;

    private PortGuidFinder() {}

    /** {@code text} for a one-line message: control characters escaped, cut after {@value #QUOTE_LIMIT} characters. */
    private static String quote(String text) {
        return Printable.quote(text, QUOTE_LIMIT);
    }

    /** One qualifying port, for ordering. */
    private record Candidate(String bdf, int port, String device, String guid) {}

    private static final Comparator<Candidate> ORDER = Comparator.comparing(Candidate::bdf)
            .thenComparingInt(Candidate::port).thenComparing(Candidate::device);

    /** The port GUID of the first qualifying port under {@code paths}; fails naming what is wrong. */
    public static PortGuid find(NvrcPaths paths) throws BootFailure {
        Path dir = paths.infiniband();
        List<String> skipped = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (String device : devices(dir)) {
            Path function = dir.resolve(device).resolve("device");
            if (!Files.isDirectory(function)) {
                skipped.add(device + " has no PCI function (" + CLASS_DIR + "/" + device + "/device)");
                continue;
            }
            String bdf = bdf(function);
            String pci = device + " (" + bdf + ")";
            if (!SwitchManagementFunction.managesFabric(function)) {
                skipped.add(pci + " is not a ConnectX management function (no " + PciVpd.SW_MNG_FIELD
                        + " in its slot): a compute NIC");
                continue;
            }
            List<Integer> ports = ports(dir.resolve(device).resolve("ports"), device);
            if (ports.isEmpty()) {
                skipped.add(pci + " has no port above 0");
            }
            for (int port : ports) {
                String name = CLASS_DIR + "/" + device + "/ports/" + port;
                Path portDir = dir.resolve(device).resolve("ports").resolve(Integer.toString(port));
                String linkLayer = read(portDir.resolve("link_layer"), name + "/link_layer").strip();
                if (!linkLayer.equals("InfiniBand")) {
                    skipped.add(pci + " port " + port + " is " + quote(linkLayer) + ", not InfiniBand");
                    continue;
                }
                long capMask = parseCapMask(read(portDir.resolve("cap_mask"), name + "/cap_mask"), name + "/cap_mask");
                if ((capMask & IS_SM_DISABLED) != 0) {
                    skipped.add(pci + " port " + port + " has IsSMDisabled set (cap_mask "
                            + String.format("0x%08x", capMask) + ")");
                    continue;
                }
                String gidName = name + "/gids/0";
                candidates.add(new Candidate(bdf, port, device, guidOf(read(portDir.resolve("gids/0"), gidName), gidName)));
            }
        }
        if (candidates.isEmpty()) {
            throw new BootFailure("no InfiniBand port in " + CLASS_DIR + " can host NVLSM: " + String.join("; ", skipped)
                    + " (NVLSM needs an InfiniBand port of a ConnectX management function with the subnet manager"
                    + " allowed)");
        }
        Candidate first = candidates.stream().min(ORDER).orElseThrow();
        return new PortGuid(first.device(), first.port(), first.guid());
    }

    /** The numeric port directories above 0, in order; other names are not ports. */
    private static List<Integer> ports(Path portsDir, String device) throws BootFailure {
        if (!Files.isDirectory(portsDir)) {
            return List.of();
        }
        List<Integer> ports = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(portsDir)) {
            for (Path p : entries) {
                Path fileName = p.getFileName();
                String name = fileName == null ? "" : fileName.toString();
                if (!name.isEmpty() && name.length() <= 5 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    int n = Integer.parseInt(name);
                    if (n > 0) {
                        ports.add(n);
                    }
                }
            }
        } catch (IOException e) {
            throw new BootFailure("cannot list " + CLASS_DIR + "/" + device + "/ports: " + IoReason.of(e), e);
        }
        ports.sort(null);
        return ports;
    }

    /**
     * Parses a {@code cap_mask} as the kernel prints it ({@code 0x2651e84a}): optional {@code 0x},
     * 1 to 8 hex digits, surrounding white space ignored.
     */
    static long parseCapMask(String text, String shown) throws BootFailure {
        String t = text.strip();
        String digits = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        if (digits.isEmpty() || digits.length() > 8 || !isHex(digits)) {
            throw new BootFailure(shown + ": expected a 32-bit hex capability mask such as 0x2651e84a, found "
                    + quote(text));
        }
        return Long.parseLong(digits, 16);
    }

    /**
     * {@code 0x} + the low 64 bits of a GID ({@code fe80:0000:0000:0000:0002:c903:0029:7de1}) in
     * 16 lower-case hex digits.
     */
    static String guidOf(String text, String shown) throws BootFailure {
        String[] groups = text.strip().split(":", -1);
        boolean wellFormed = groups.length == 8;
        for (int i = 0; wellFormed && i < groups.length; i++) {
            wellFormed = groups[i].length() == 4 && isHex(groups[i]);
        }
        if (!wellFormed) {
            throw new BootFailure(shown + ": expected a GID of 8 colon-separated groups of 4 hex digits such as"
                    + " fe80:0000:0000:0000:0002:c903:0029:7de1, found " + quote(text));
        }
        String guid = "0x" + (groups[4] + groups[5] + groups[6] + groups[7]).toLowerCase(java.util.Locale.ROOT);
        if (guid.substring(2).chars().allMatch(c -> c == '0')) {
            throw new BootFailure(shown + ": the port GUID is zero (" + text.strip() + "): the port has no identity yet");
        }
        return guid;
    }

    /** The PCI address of the function a device belongs to, for messages ({@code ?} when the link cannot be read). */
    private static String bdf(Path function) {
        try {
            Path name = function.toRealPath().getFileName();
            return name == null ? "?" : name.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> devices(Path dir) throws BootFailure {
        if (!Files.exists(dir)) {
            throw new BootFailure(CLASS_DIR + " does not exist: mlx5_ib did not create any InfiniBand device"
                    + " (is the SW_MNG ConnectX passed through to this VM?)");
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new BootFailure("cannot list " + CLASS_DIR + ": " + IoReason.of(e), e);
        }
        if (names.isEmpty()) {
            throw new BootFailure(CLASS_DIR + " is empty: mlx5_ib did not create any InfiniBand device"
                    + " (is the SW_MNG ConnectX passed through to this VM?)");
        }
        names.sort(null);
        return names;
    }

    private static String read(Path file, String shown) throws BootFailure {
        try {
            // Latin-1: any byte decodes, so odd content reaches the format check and its message.
            return new String(BoundedFile.read(file, BoundedFile.KERNEL_FILE), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new BootFailure(shown + " is missing", e);
        } catch (IOException e) {
            throw new BootFailure("cannot read " + shown + ": " + IoReason.of(e), e);
        }
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
}
