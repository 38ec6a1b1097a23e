package dev.nvrc.gpu.cdi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of an {@code nvidia-cdi-hook} of a given toolkit release as nvrc reads it: an ELF file
 * whose {@code .go.buildinfo} section holds what Go 1.18+ writes there for a program built by the
 * toolkit's Makefile (the Go version, then the module information with the build settings, the
 * {@code -ldflags} with {@code -X .../internal/info.version=<release>} among them), plus, like a
 * real program, other sections around it. It has no program headers: it is read, never run (the
 * podman test puts a script at the hook's path after the spec is written).
 */
final class FakeCdiHook {
    /** The 16-byte markers Go puts around the module information. */
    private static final byte[] SENTINEL_START = hex("3077af0c9274080241e1c107e6d618e6");
    private static final byte[] SENTINEL_END = hex("f932433186182072008242104116d8f2");

    private FakeCdiHook() {
    }

    /** A 64-bit little-endian program of release {@code version} (e.g. {@code 1.17.8}). */
    static byte[] release(String version) {
        return elf(buildInfo("go1.23.6", modinfo(version), true), ByteOrder.LITTLE_ENDIAN, true);
    }

    /** A program built without the version in its ldflags (as with {@code -trimpath}). */
    static byte[] withoutVersion() {
        String modinfo = "path\tgithub.com/NVIDIA/nvidia-container-toolkit/cmd/nvidia-cdi-hook\n"
                + "mod\tgithub.com/NVIDIA/nvidia-container-toolkit\t(devel)\t\n"
                + "build\t-buildmode=exe\nbuild\t-compiler=gc\nbuild\t-trimpath=true\n";
        return elf(buildInfo("go1.23.6", modinfo, true), ByteOrder.LITTLE_ENDIAN, true);
    }

    /** A 32-bit big-endian program (another machine's image) of {@code version}. */
    static byte[] release32BigEndian(String version) {
        return elf(buildInfo("go1.22.1", modinfo(version), true), ByteOrder.BIG_ENDIAN, false);
    }

    /** A program of a Go older than 1.18 (pointers in the section, no inline text). */
    static byte[] preGo118() {
        return elf(buildInfo("go1.17", modinfo("1.16.0"), false), ByteOrder.LITTLE_ENDIAN, true);
    }

    /** The module information of a Makefile build of {@code version}. */
    static String modinfo(String version) {
        String pkg = "github.com/NVIDIA/nvidia-container-toolkit/internal/info";
        return "path\tgithub.com/NVIDIA/nvidia-container-toolkit/cmd/nvidia-cdi-hook\n"
                + "mod\tgithub.com/NVIDIA/nvidia-container-toolkit\t(devel)\t\n"
                + "dep\tgithub.com/sirupsen/logrus\tv1.9.3\th1:dueUQJ1C2q9oE3F7wvmSGAaVtTmUizReu6fjN8uqzbQ=\n"
                + "build\t-buildmode=exe\nbuild\t-compiler=gc\n"
                + "build\t-ldflags=\"-s -w '-extldflags=-Wl,-z,lazy' -X " + pkg + ".gitCommit=1f8b2a3c -X " + pkg
                + ".version=" + version + "\"\n"
                + "build\tCGO_ENABLED=1\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\nbuild\tGOAMD64=v1\n";
    }

    /** A {@code .go.buildinfo} section: the 32-byte header, then (inline) the two strings. */
    static byte[] buildInfo(String goVersion, String modinfo, boolean inline) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1));
        out.write(8);
        out.write(inline ? 0x2 : 0x0);
        out.writeBytes(new byte[16]);
        if (!inline) {
            out.writeBytes(new byte[32]);
            return out.toByteArray();
        }
        byte[] go = goVersion.getBytes(StandardCharsets.US_ASCII);
        varint(out, go.length);
        out.writeBytes(go);
        ByteArrayOutputStream mod = new ByteArrayOutputStream();
        mod.writeBytes(SENTINEL_START);
        mod.writeBytes(modinfo.getBytes(StandardCharsets.UTF_8));
        mod.writeBytes(SENTINEL_END);
        varint(out, mod.size());
        out.writeBytes(mod.toByteArray());
        return out.toByteArray();
    }

    /**
     * An ELF file: header, {@code .text} filler, {@code .go.buildinfo}, {@code .shstrtab}, then
     * the section header table (null, .text, .go.buildinfo, .shstrtab), as a linker lays it out.
     */
    static byte[] elf(byte[] buildInfo, ByteOrder order, boolean is64) {
        int ehsize = is64 ? 64 : 52;
        int shentsize = is64 ? 64 : 40;
        byte[] text = new byte[4096];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) (i * 31);
        }
        byte[] names = "\0.text\0.go.buildinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int textOff = ehsize;
        int infoOff = textOff + text.length;
        int namesOff = infoOff + buildInfo.length;
        int shoff = (namesOff + names.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shoff + 4 * shentsize).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1), 1});
        b.position(16);
        b.putShort((short) 2).putShort((short) (is64 ? 62 : 8)).putInt(1);
        if (is64) {
            b.putLong(0x401000).putLong(0).putLong(shoff);
        } else {
            b.putInt(0x401000).putInt(0).putInt(shoff);
        }
        b.putInt(0).putShort((short) ehsize).putShort((short) 0).putShort((short) 0)
                .putShort((short) shentsize).putShort((short) 4).putShort((short) 3);
        b.position(textOff);
        b.put(text).put(buildInfo).put(names);
        b.position(shoff + shentsize);
        section(b, is64, 1, 1, textOff, text.length);
        section(b, is64, 7, 1, infoOff, buildInfo.length);
        section(b, is64, 21, 3, namesOff, names.length);
        return b.array();
    }

    private static void section(ByteBuffer b, boolean is64, int name, int type, long offset, long size) {
        int start = b.position();
        b.putInt(name).putInt(type);
        if (is64) {
            b.putLong(0).putLong(0).putLong(offset).putLong(size);
        } else {
            b.putInt(0).putInt(0).putInt((int) offset).putInt((int) size);
        }
        b.position(start + (is64 ? 64 : 40));
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        int v = value;
        while (v >= 0x80) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
