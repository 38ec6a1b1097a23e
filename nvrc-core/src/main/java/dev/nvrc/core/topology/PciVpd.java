package dev.nvrc.core.topology;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A PCI function's Vital Product Data (PCI Local Bus 3.0, §6.4; PCIe Base, "VPD"), as sysfs
 * shows it in {@code /sys/bus/pci/devices/<bdf>/vpd}: a list of resources.
 *
 * <ul>
 *   <li>Large resources start with a byte whose bit 7 is set, the low 7 bits being the item
 *       name, then a 16-bit little-endian length: {@code 0x82} the identifier string (product
 *       name), {@code 0x90} VPD-R (read-only keywords), {@code 0x91} VPD-W (writable keywords).
 *   <li>VPD-R and VPD-W hold keywords: two ASCII characters, a length byte and that many bytes of
 *       value ({@code PN}, {@code SN}, {@code V0}..{@code VZ} vendor specific, {@code RV} checksum).
 *   <li>A small resource is one byte: item name in bits 6..3, length in bits 2..0. The end tag is
 *       {@code 0x78} (item 0x0f, length 0); the kernel sizes the sysfs file up to it.
 * </ul>
 *
 * <p>NVIDIA marks the ConnectX-7 function that bridges to the NVLink 5 switch fabric ("SW_MNG",
 * switch management) in a vendor-specific keyword whose value is Mellanox's colon-separated
 * {@code NAME=VALUE} list, with the field {@code SMDL=SW_MNG}; {@code lspci -vv} prints it as, for
 * example, {@code [VA] Vendor specific: MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX7:SMDL=SW_MNG}.
 * {@link #isSwitchManagement()} is that rule, the only place nvrc decides it (mode detection and
 * the NVLSM port choice both ask here).
 *
 * @param idString the identifier string, empty when there is none
 * @param keywords every VPD-R and VPD-W keyword, in file order
 */
public record PciVpd(String idString, List<Keyword> keywords) {
    /** The field that marks a switch-management (NVLink 5 bridge) function. */
    public static final String SW_MNG_FIELD = "SMDL=SW_MNG";
    /** The vendor-specific keyword (of VPD-R or VPD-W) whose fields carry {@link #SW_MNG_FIELD}. */
    public static final String MELLANOX_KEYWORD = "VA";

    private static final int TAG_ID_STRING = 0x02;
    private static final int TAG_VPD_R = 0x10;
    private static final int TAG_VPD_W = 0x11;
    private static final int SMALL_END = 0x0f;

    public PciVpd {
        Objects.requireNonNull(idString, "idString");
        keywords = List.copyOf(keywords);
    }

    /**
     * One keyword of VPD-R or VPD-W.
     *
     * @param name the two characters ({@code VA})
     * @param value the value's bytes as Latin-1 text (one char per byte)
     */
    public record Keyword(String name, String value) {
        public Keyword {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Why bytes are not a VPD. */
    public static final class MalformedVpdException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedVpdException(String message) {
            super(message);
        }
    }

    /**
     * Parses the bytes of a sysfs {@code vpd} file. An empty file (no VPD programmed: the kernel
     * shows nothing) is a VPD without resources; bytes after the end tag are ignored.
     *
     * @throws MalformedVpdException when a resource or keyword runs past the data, or an item is
     *     not one of the above
     */
    public static PciVpd parse(byte[] bytes) throws MalformedVpdException {
        String id = "";
        List<Keyword> keywords = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int tag = bytes[at] & 0xff;
            if ((tag & 0x80) == 0) {
                int item = (tag >>> 3) & 0x0f;
                if (item == SMALL_END) {
                    break;
                }
                throw new MalformedVpdException(String.format("small resource item 0x%02x at offset %d is not"
                        + " the end tag 0x78", item, at));
            }
            if (at + 3 > bytes.length) {
                throw new MalformedVpdException("large resource header at offset " + at + " runs past the data");
            }
            int length = (bytes[at + 1] & 0xff) | (bytes[at + 2] & 0xff) << 8;
            int start = at + 3;
            int end = start + length;
            if (end > bytes.length) {
                throw new MalformedVpdException(String.format("resource 0x%02x at offset %d has length %d, past the"
                        + " %d bytes of data", tag, at, length, bytes.length));
            }
            switch (tag & 0x7f) {
                case TAG_ID_STRING -> id = new String(bytes, start, length, StandardCharsets.ISO_8859_1).strip();
                case TAG_VPD_R, TAG_VPD_W -> keywords.addAll(keywords(bytes, start, end));
                default -> throw new MalformedVpdException(String.format("unknown large resource 0x%02x at offset %d",
                        tag, at));
            }
            at = end;
        }
        return new PciVpd(id, keywords);
    }

    private static List<Keyword> keywords(byte[] bytes, int start, int end) throws MalformedVpdException {
        List<Keyword> out = new ArrayList<>();
        int at = start;
        while (at < end) {
            if (at + 3 > end) {
                throw new MalformedVpdException("keyword header at offset " + at + " runs past its resource");
            }
            String name = new String(bytes, at, 2, StandardCharsets.ISO_8859_1);
            int length = bytes[at + 2] & 0xff;
            if (at + 3 + length > end) {
                throw new MalformedVpdException("keyword " + name + " at offset " + at + " has length " + length
                        + ", past its resource");
            }
            out.add(new Keyword(name, new String(bytes, at + 3, length, StandardCharsets.ISO_8859_1)));
            at += 3 + length;
        }
        return out;
    }

    /**
     * The bytes of this VPD as a device stores it: the identifier string (when not empty), every
     * keyword in one VPD-R resource, the end tag. {@link #parse} of the result gives this VPD back.
     *
     * @throws IllegalArgumentException when a keyword name is not two characters, a value is
     *     longer than 255 bytes or a resource longer than 65535
     */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!idString.isEmpty()) {
            large(out, 0x80 | TAG_ID_STRING, idString.getBytes(StandardCharsets.ISO_8859_1));
        }
        if (!keywords.isEmpty()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Keyword k : keywords) {
                byte[] value = k.value().getBytes(StandardCharsets.ISO_8859_1);
                if (k.name().length() != 2 || value.length > 0xff) {
                    throw new IllegalArgumentException("keyword " + k.name() + ": a name of 2 characters and a value"
                            + " of at most 255 bytes");
                }
                body.writeBytes(k.name().getBytes(StandardCharsets.ISO_8859_1));
                body.write(value.length);
                body.writeBytes(value);
            }
            large(out, 0x80 | TAG_VPD_R, body.toByteArray());
        }
        out.write(SMALL_END << 3);
        return out.toByteArray();
    }

    private static void large(ByteArrayOutputStream out, int tag, byte[] data) {
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("a VPD resource holds at most 65535 bytes");
        }
        out.write(tag);
        out.write(data.length & 0xff);
        out.write(data.length >>> 8);
        out.writeBytes(data);
    }

    /** The value of keyword {@code name}, if present. */
    public Optional<String> keyword(String name) {
        return keywords.stream().filter(k -> k.name().equals(name)).map(Keyword::value).findFirst();
    }

    /**
     * True when the value of a {@code VA} keyword (VPD-R or VPD-W), split at {@code :}, has the
     * field {@code SMDL=SW_MNG}: the function is the NVLink 5 switch-management bridge, not a
     * compute NIC.
     */
    public boolean isSwitchManagement() {
        for (Keyword k : keywords) {
            if (!k.name().equals(MELLANOX_KEYWORD)) {
                continue;
            }
            for (String field : k.value().split(":", -1)) {
                if (field.equals(SW_MNG_FIELD)) { // exactly, as upstream: padding would be another field
                    return true;
                }
            }
        }
        return false;
    }
}
