package dev.nvrc.gpu.cdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nvidia-container-toolkit release an {@code nvidia-cdi-hook} program comes from, read from
 * the program's own file without running it.
 *
 * <p>The toolkit's Makefile links the release into the program with
 * {@code -ldflags "... -X github.com/NVIDIA/nvidia-container-toolkit/internal/info.version=<v>"},
 * which is what {@code nvidia-cdi-hook --version} prints ({@code NVIDIA CDI Hook version <v>}).
 * Go (1.18 and later, without {@code -trimpath}) also records those flags in the program's
 * build information, the ELF section {@code .go.buildinfo}: a few kilobytes that
 * {@code go version -m} reads. Reading them takes the ELF header, the section headers and that
 * section (three small reads at known offsets, whatever the program's size and architecture),
 * where running the program would start a Go runtime in the booting guest (and could not run an
 * image of another architecture at all).
 *
 * <p>A program without that record (a script, a build with {@code -trimpath}, a stripped section
 * table, not an ELF file) has no known version: {@link #read} returns empty and the caller falls
 * back to the subcommands every {@code nvidia-cdi-hook} has ({@link CdiHooks}).
 */
record CdiHookVersion(int major, int minor, int patch) implements Comparable<CdiHookVersion> {
    /** The first release with a separate {@code nvidia-cdi-hook} program. */
    static final CdiHookVersion V1_16_0 = new CdiHookVersion(1, 16, 0);
    /** {@code enable-cuda-compat}. */
    static final CdiHookVersion V1_17_5 = new CdiHookVersion(1, 17, 5);
    /** {@code disable-device-node-modification}; unknown subcommands only warn from here on. */
    static final CdiHookVersion V1_18_0 = new CdiHookVersion(1, 18, 0);
    /** {@code update-application-profile}. */
    static final CdiHookVersion V1_20_0 = new CdiHookVersion(1, 20, 0);

    /** The ELF section Go writes its build information into. */
    static final String SECTION = ".go.buildinfo";

    /** The start of the build information (Go's {@code buildInfoMagic}). */
    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);

    /** Where the toolkit links its version in: the {@code -X} flag of its Makefile. */
    private static final Pattern LINKED_VERSION = Pattern.compile(
            "github\\.com/NVIDIA/nvidia-container-toolkit/internal/info\\.version=v?(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})");

    /** The most this reads of a section table or of the build information. */
    static final int MAX_READ = 1 << 20;

    /** Parses {@code 1.17.5}, {@code v1.18.0} or {@code 1.20.0-rc.1} (a pre-release counts as its release). */
    static Optional<CdiHookVersion> parse(String text) {
        Matcher m = Pattern.compile("v?(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})(?:[-~+][0-9A-Za-z.-]*)?").matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CdiHookVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    /**
     * The version recorded in the program at {@code file}, or empty when the file is no ELF
     * program with Go build information naming the toolkit's version.
     *
     * @throws IOException when the file cannot be read at all
     */
    static Optional<CdiHookVersion> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<ByteBuffer> section = Elf.section(ch, SECTION);
            if (section.isEmpty()) {
                return Optional.empty();
            }
            return fromBuildInfo(section.get());
        }
    }

    /** The version in a {@code .go.buildinfo} section's bytes (Go 1.18's inline layout). */
    static Optional<CdiHookVersion> fromBuildInfo(ByteBuffer section) {
        byte[] bytes = new byte[section.remaining()];
        section.get(bytes);
        if (bytes.length < 32 || !startsWith(bytes, MAGIC) || (bytes[15] & 0x2) == 0) {
            // Before Go 1.18 the section held pointers into the data segment, not the text.
            return Optional.empty();
        }
        // The flags' bit 2 means: two varint-length strings follow the 32-byte header, the Go
        // version and the module information (with the build settings, -ldflags among them).
        int at = 32;
        for (int i = 0; i < 2; i++) {
            long length = 0;
            int shift = 0;
            while (true) {
                if (at >= bytes.length || shift > 28) {
                    return Optional.empty();
                }
                int b = bytes[at++] & 0xff;
                length |= (long) (b & 0x7f) << shift;
                shift += 7;
                if (b < 0x80) {
                    break;
                }
            }
            if (length > bytes.length - at) {
                return Optional.empty();
            }
            if (i == 1) {
                Matcher m = LINKED_VERSION.matcher(new String(bytes, at, (int) length, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return Optional.of(new CdiHookVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3))));
                }
            }
            at += (int) length;
        }
        return Optional.empty();
    }

    /** True when this release has what {@code other} introduced. */
    boolean atLeast(CdiHookVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(CdiHookVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Just enough ELF to find a section by name (32 or 64 bit, either byte order). */
    static final class Elf {
        private Elf() {
        }

        /** The bytes of the section called {@code name}, or empty (not ELF, no section table, no such section). */
        static Optional<ByteBuffer> section(FileChannel ch, String name) throws IOException {
            ByteBuffer ident = read(ch, 0, 64);
            if (ident.remaining() < 52 || ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L'
                    || ident.get(3) != 'F') {
                return Optional.empty();
            }
            boolean is64 = ident.get(4) == 2;
            if (!is64 && ident.get(4) != 1) {
                return Optional.empty();
            }
            ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ident.order(order);
            if (is64 && ident.remaining() < 64) {
                return Optional.empty();
            }
            long shoff = is64 ? ident.getLong(0x28) : Integer.toUnsignedLong(ident.getInt(0x20));
            int shentsize = Short.toUnsignedInt(ident.getShort(is64 ? 0x3a : 0x2e));
            int shnum = Short.toUnsignedInt(ident.getShort(is64 ? 0x3c : 0x30));
            int shstrndx = Short.toUnsignedInt(ident.getShort(is64 ? 0x3e : 0x32));
            int minEntry = is64 ? 64 : 40;
            if (shoff == 0 || shnum == 0 || shentsize < minEntry || shstrndx >= shnum
                    || (long) shnum * shentsize > MAX_READ) {
                return Optional.empty();
            }
            ByteBuffer table = read(ch, shoff, shnum * shentsize).order(order);
            if (table.remaining() < shnum * shentsize) {
                return Optional.empty();
            }
            long[] names = sectionAt(table, shstrndx * shentsize, is64);
            ByteBuffer strings = read(ch, names[1], (int) Math.min(names[2], MAX_READ));
            byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < shnum; i++) {
                long[] s = sectionAt(table, i * shentsize, is64);
                if (nameIs(strings, (int) s[0], wanted)) {
                    if (s[2] > MAX_READ) {
                        return Optional.empty();
                    }
                    ByteBuffer data = read(ch, s[1], (int) s[2]);
                    return data.remaining() == s[2] ? Optional.of(data) : Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** {name offset, file offset, size} of the section header at {@code at}. */
        private static long[] sectionAt(ByteBuffer table, int at, boolean is64) {
            long nameOffset = Integer.toUnsignedLong(table.getInt(at));
            long offset = is64 ? table.getLong(at + 0x18) : Integer.toUnsignedLong(table.getInt(at + 0x10));
            long size = is64 ? table.getLong(at + 0x20) : Integer.toUnsignedLong(table.getInt(at + 0x14));
            return new long[] {nameOffset, offset, size};
        }

        private static boolean nameIs(ByteBuffer strings, int at, byte[] wanted) {
            if (at < 0 || at + wanted.length >= strings.limit()) {
                return false;
            }
            for (int i = 0; i < wanted.length; i++) {
                if (strings.get(at + i) != wanted[i]) {
                    return false;
                }
            }
            return strings.get(at + wanted.length) == 0;
        }

        private static ByteBuffer read(FileChannel ch, long offset, int length) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(Math.max(0, length));
            if (offset < 0) {
                return buf.flip();
            }
            long at = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return buf.flip();
        }
    }
}
