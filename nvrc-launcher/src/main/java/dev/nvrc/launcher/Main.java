package dev.nvrc.launcher;

/** Entry point of {@code nvrc.jar} and of the boot image's JVM. */
public final class Main {
    private Main() {}

    /** Runs the command-line tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(Cli.run(args, System.out, System.err));
    }
}
