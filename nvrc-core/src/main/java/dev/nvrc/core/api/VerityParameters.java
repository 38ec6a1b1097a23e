package dev.nvrc.core.api;

import java.util.Objects;

/**
 * {@code kata.extension.<name>.verity_params}: how the init opens a guest extension image with
 * dm-verity (sha256). Immutable, and so safe to share between threads.
 *
 * @param rootHash the root hash, as given ({@code root_hash=})
 * @param salt the salt, as given ({@code salt=})
 * @param dataBlocks the number of data blocks
 * @param dataBlockSize the data block size in bytes
 * @param hashBlockSize the hash block size in bytes
 */
public record VerityParameters(String rootHash, String salt, long dataBlocks, long dataBlockSize, long hashBlockSize) {
    /**
     * Checks the values are what a command line can give.
     *
     * @param rootHash the root hash
     * @param salt the salt
     * @param dataBlocks the number of data blocks
     * @param dataBlockSize the data block size
     * @param hashBlockSize the hash block size
     * @throws NullPointerException when {@code rootHash} or {@code salt} is null
     * @throws IllegalArgumentException when a number is not positive (the command line's own rule)
     */
    public VerityParameters {
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(salt, "salt");
        if (dataBlocks <= 0 || dataBlockSize <= 0 || hashBlockSize <= 0) {
            throw new IllegalArgumentException("data blocks and block sizes must be positive, got " + dataBlocks
                    + ", " + dataBlockSize + ", " + hashBlockSize);
        }
    }
}
