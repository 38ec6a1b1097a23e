package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.topology.PciVpd;
import dev.nvrc.core.topology.SwitchManagementFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the ConnectX port that NVLSM manages on an NVLink 5 system, in
 * {@code /sys/class/infiniband}.
 *
 * <p>Devices are tried in byte order of their names ({@code mlx5_10} comes before
 * {@code mlx5_2}). Only the switch-management bridges qualify: the PCI function a device belongs
 * to ({@code /sys/class/infiniband/<dev>/device}) must carry {@code SMDL=SW_MNG} in its VPD
 * ({@link SwitchManagementFunction}, the rule mode detection counts by). A guest of an HGX B200
 * usually has ConnectX-7 compute NICs too, whose ports allow a subnet manager as well and come
 * first in name order ({@code mlx5_0}); upstream picks the first SM-capable port and so would run
 * NVLSM on the compute fabric. A bridge is then skipped when it has no port 1 or when port 1's
 * {@code cap_mask} has IsSMDisabled (bit 10, {@code 0x400}) set: no subnet manager may run there.
 * The first other bridge gives the GUID: {@code 0x} followed by the last four groups of
 * {@code ports/1/gids/0}. When none qualifies the failure lists every device and why.
 *
 * <p>Unlike upstream, content that is not what the kernel writes is an error naming the file:
 * a {@code cap_mask} that is not hex (upstream read it as 0, that is "SM allowed") and a GID that
 * is not 8 colon-separated groups of 4 hex digits (upstream tried the next device). A GUID of
 * all zeros (a port without an identity) is an error too.
 */
public final class PortGuidFinder {
    /** Where the kernel lists InfiniBand devices. */
    public static final String CLASS_DIR = "/sys/class/infiniband";
    /** IsSMDisabled in PortInfo:CapabilityMask. */
    public static final long IS_SM_DISABLED = 0x400;

    private static final Comparator<String> BYTE_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private PortGuidFinder() {}

    /** The port GUID of the first usable device under {@code paths}; fails naming what is wrong. */
    public static PortGuid find(NvrcPaths paths) throws BootFailure {
        Path dir = paths.infiniband();
        List<String> devices = devices(dir);
        List<String> skipped = new ArrayList<>();
        for (String device : devices) {
            Path function = dir.resolve(device).resolve("device");
            if (!Files.isDirectory(function)) {
                skipped.add(device + " has no PCI function (" + CLASS_DIR + "/" + device + "/device)");
                continue;
            }
            String pci = device + " (" + bdf(function) + ")";
            if (!SwitchManagementFunction.is(function)) {
                skipped.add(pci + " is not a SW_MNG bridge (its VPD has no " + PciVpd.SW_MNG_FIELD
                        + "): a compute NIC");
                continue;
            }
            String port = CLASS_DIR + "/" + device + "/ports/1";
            Path capMaskFile = dir.resolve(device).resolve("ports/1/cap_mask");
            if (!Files.exists(capMaskFile)) {
                skipped.add(pci + " has no " + port + "/cap_mask");
                continue;
            }
            long capMask = parseCapMask(read(capMaskFile, port + "/cap_mask"), port + "/cap_mask");
            if ((capMask & IS_SM_DISABLED) != 0) {
                skipped.add(pci + " port 1 has IsSMDisabled set (cap_mask " + String.format("0x%08x", capMask) + ")");
                continue;
            }
            String gidName = port + "/gids/0";
            return new PortGuid(device, guidOf(read(dir.resolve(device).resolve("ports/1/gids/0"), gidName), gidName));
        }
        throw new BootFailure("no InfiniBand port in " + CLASS_DIR + " can host NVLSM: " + String.join("; ", skipped)
                + " (NVLSM needs port 1 of a SW_MNG ConnectX-7 bridge with the subnet manager allowed)");
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
                    + Texts.quote(text));
        }
        return Long.parseLong(digits, 16);
    }

    /** {@code 0x} + the last four groups of a GID ({@code fe80:0000:0000:0000:0002:c903:0029:7de1}). */
    static String guidOf(String text, String shown) throws BootFailure {
        String[] groups = text.strip().split(":", -1);
        boolean wellFormed = groups.length == 8;
        for (int i = 0; wellFormed && i < groups.length; i++) {
            wellFormed = groups[i].length() == 4 && isHex(groups[i]);
        }
        if (!wellFormed) {
            throw new BootFailure(shown + ": expected a GID of 8 colon-separated groups of 4 hex digits such as"
                    + " fe80:0000:0000:0000:0002:c903:0029:7de1, found " + Texts.quote(text));
        }
        String guid = "0x" + groups[4] + groups[5] + groups[6] + groups[7];
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
        names.sort(BYTE_ORDER);
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
