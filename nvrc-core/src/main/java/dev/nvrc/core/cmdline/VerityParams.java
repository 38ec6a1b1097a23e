package dev.nvrc.core.cmdline;

import java.util.Objects;

/**
 * {@code kata.extension.<name>.verity_params}: how to open a guest extension image with dm-verity.
 * All numbers are non-zero; the hash algorithm is always sha256.
 */
public record VerityParams(
        String rootHash, String salt, long dataBlocks, long dataBlockSize, long hashBlockSize) {
    public VerityParams {
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(salt, "salt");
    }
}
