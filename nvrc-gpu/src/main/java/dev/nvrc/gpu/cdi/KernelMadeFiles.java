package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;

/**
 * Reading the small files and directories the kernel makes that the generator looks at
 * ({@code /proc/driver/nvidia}, {@code /proc/devices}, {@code /sys/class/drm}): bounded, and failing
 * with what the file gives the spec. The driver's installed files are {@link DriverFiles}'.
 */
final class KernelMadeFiles {
    private KernelMadeFiles() {
    }

    /**
     * The whole text of {@code file}; a missing or unreadable file is a failure naming
     * {@code guest} and {@code purpose}.
     */
    static String readText(Path file, String guest, String purpose) throws BootFailure {
        try {
            byte[] bytes = BoundedFile.read(file, BoundedFile.PROC_TABLE);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new BootFailure(guest + " does not exist; it gives " + purpose, e);
        } catch (CharacterCodingException e) {
            // The exception's own text ("Input length = 1") says nothing to someone reading the log.
            throw new BootFailure(guest + " is not UTF-8 text, as the kernel writes it; it gives " + purpose, e);
        } catch (IOException e) {
            throw new BootFailure("cannot read " + guest + " (" + purpose + "): " + IoReason.of(e), e);
        } catch (UncheckedIOException e) {
            throw new BootFailure("cannot read " + guest + " (" + purpose + "): " + IoReason.of(e.getCause()), e);
        }
    }


    /** The names in {@code dir} in byte order; an empty list when it does not exist. */
    static List<String> names(Path dir, String guest) throws BootFailure {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            List<String> names = new ArrayList<>();
            for (Path p : entries) {
                Path name = p.getFileName();
                if (name != null) {
                    names.add(name.toString());
                }
            }
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new BootFailure("cannot list " + guest + ": " + IoReason.of(e), e);
        } catch (DirectoryIteratorException e) {
            throw new BootFailure("cannot list " + guest + ": " + IoReason.of(e.getCause()), e);
        }
    }
}
