package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's writer goes through core's {@link dev.nvrc.core.io.AtomicFile}, mode 0644. */
class CdiSpecWriteTest {
    @TempDir
    Path dir;

    @Test
    void generatorFacadeWritesTheSpecsJson(@TempDir Path root) throws Exception {
        NvrcPaths paths = CdiFixture.Machines.oneGpuNoHooks(root).build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults());
        Path target = dir.resolve("nvidia.json");
        CdiSpecGenerator.writeAtomically(spec, target);
        assertThat(Files.readString(target)).isEqualTo(CdiSpecGenerator.toJson(spec)).endsWith("}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }
}
