package dev.nvrc.gpu.cdi;

/** Joining guest paths to a root without doubling or losing slashes. */
final class GuestPaths {
    private GuestPaths() {
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
