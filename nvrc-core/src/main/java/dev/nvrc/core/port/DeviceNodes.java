package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;

/** Device nodes under /dev that no driver creates by itself. */
public interface DeviceNodes {
    /**
     * Creates the character device {@code path} ({@code major}:{@code minor}) with exactly the
     * permission bits {@code mode} (the process umask does not apply). An existing file at
     * {@code path} is not replaced: it is a failure, since nvrc cannot tell what made it.
     */
    void createCharacterDevice(String path, int major, int minor, int mode) throws BootFailure;
}
