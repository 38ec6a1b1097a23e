package dev.nvrc.launcher;

import dev.nvrc.launcher.boot.NvrcIdentity;
import java.io.IOException;
import java.io.PrintStream;

/** {@code version}: {@code nvrc version=<v> sha256=<hex of the running jar>}, the boot's first log line. */
final class VersionCommand {
    private VersionCommand() {}

    static int run(PrintStream out, PrintStream err) {
        try {
            out.println(NvrcIdentity.running().line());
            return 0;
        } catch (IOException e) {
            err.println("nvrc: cannot hash the running jar: " + e.getMessage());
            return Cli.EXIT_INVALID;
        }
    }
}
