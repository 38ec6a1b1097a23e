package dev.nvrc.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated NVIDIA toolset: one static program, {@code nvsim} (src/main/c/nvsim.c), that acts
 * as modprobe, nvidia-smi, nvidia-ctk, nvidia-persistenced, nv-hostengine, dcgm-exporter,
 * nv-fabricmanager and nvlsm depending on the name it is run under. See the testkit README for
 * its settings ({@link NvsimSettings}).
 *
 * <p>The Maven build compiles it into {@code target/nvsim/} and into the testkit jar, from where
 * {@link #binary()} extracts it, so any module's tests can {@link #install} it in a fixture root.
 */
public final class SimulatedTools {
    /** Each tool and the guest path nvrc runs it from (behaviour.md), in nvsim's order. */
    public static final Map<String, String> GUEST_PATHS = guestPaths();

    /** Tools the gpu extension does not remap: they stay at their path whatever the prefix. */
    public static final Set<String> NOT_REMAPPED = Set.of("modprobe");

    private static final String RESOURCE = "nvsim/nvsim";
    private static Path extracted;

    private SimulatedTools() {}

    private static Map<String, String> guestPaths() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("modprobe", "/sbin/modprobe");
        m.put("nvidia-smi", "/bin/nvidia-smi");
        m.put("nvidia-ctk", "/bin/nvidia-ctk");
        m.put("nvidia-persistenced", "/bin/nvidia-persistenced");
        m.put("nv-hostengine", "/bin/nv-hostengine");
        m.put("dcgm-exporter", "/bin/dcgm-exporter");
        m.put("nv-fabricmanager", "/bin/nv-fabricmanager");
        m.put("nvlsm", "/sbin/nvlsm");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The nvsim program, extracted once per JVM to an executable temporary file. */
    public static synchronized Path binary() {
        if (extracted != null) {
            return extracted;
        }
        try (InputStream in = SimulatedTools.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("nvsim is not on the class path (dev/nvrc/testkit/" + RESOURCE
                        + "): the nvrc-testkit build compiles src/main/c/nvsim.c with gcc; build that module first");
            }
            // Named nvsim: the program decides what to be by its own name.
            Path directory = Files.createTempDirectory("nvsim");
            Path file = directory.resolve("nvsim");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            directory.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            extracted = file;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs every tool at its guest path under {@code root}. */
    public static void install(Path root) {
        install(root, "");
    }

    /**
     * Installs every tool under {@code root}, the remapped ones below {@code prefix} (for the gpu
     * extension: {@code /run/kata-extensions/gpu}; {@code ""} for none). The program is copied to
     * {@code <root>/usr/libexec/nvsim/nvsim} and every tool is a hard link to it (a copy where the
     * file system refuses links), so the tools work in a chroot or an initramfs made from the root.
     */
    public static void install(Path root, String prefix) {
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("prefix must be empty or an absolute path without a trailing '/': " + prefix);
        }
        try {
            Path program = root.resolve("usr/libexec/nvsim/nvsim");
            Files.createDirectories(program.getParent());
            Files.copy(binary(), program, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Map.Entry<String, String> tool : GUEST_PATHS.entrySet()) {
                String guest = NOT_REMAPPED.contains(tool.getKey()) ? tool.getValue() : prefix + tool.getValue();
                Path target = root.resolve(guest.substring(1));
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                try {
                    Files.createLink(target, program);
                } catch (FileSystemException | UnsupportedOperationException e) {
                    Files.copy(program, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills every process that runs a tool installed under {@code root} (its executable is one of
     * the root's links): the daemons a tool forked (nvidia-persistenced always does) are no
     * children of the test, so destroying the processes it started leaves them running.
     */
    public static void stopAll(Path root) {
        String prefix = root.toAbsolutePath().toString() + "/";
        ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.startsWith(prefix)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The calls recorded in an nvsim log, each as {@code [tool, arg1, arg2, ...]} (arguments are
     * logged separated by single spaces, so an argument containing a space reads as two).
     */
    public static List<List<String>> calls(Path log) {
        try {
            List<List<String>> out = new ArrayList<>();
            if (!Files.exists(log)) {
                return out;
            }
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("NVSIM ")) {
                    out.add(List.of(line.substring("NVSIM ".length()).split(" ", -1)));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
