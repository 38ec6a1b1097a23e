package dev.nvrc.gpu.cdi;

/**
 * Guest paths as the spec writes them (strings, never resolved on this machine): joined to a root
 * without doubling or losing slashes. {@code NvrcPaths} is the other direction, a guest path
 * resolved to a file under the tree this process reads.
 */
final class GuestPathStrings {
    private GuestPathStrings() {
    }

    /** {@code root} + {@code path}: {@code ("/", "/dev/x") -> "/dev/x"}, {@code ("/r", "/dev/x") -> "/r/dev/x"}. */
    static String join(String root, String path) {
        return root.equals("/") ? path : root + path;
    }

    /** The last element of {@code path}. */
    static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
