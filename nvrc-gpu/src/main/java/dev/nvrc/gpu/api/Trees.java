package dev.nvrc.gpu.api;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GivenRoot;
import dev.nvrc.core.api.NvrcException;
import java.nio.file.Path;

/** The trees this package reads, opened by core's one rule ({@link GivenRoot}), failing in the api's words. */
final class Trees {
    private Trees() {}

    static GivenRoot open(Path root) throws NvrcException {
        try {
            return GivenRoot.open(root);
        } catch (BootFailure e) {
            throw new NvrcException(e.getMessage());
        }
    }
}
