package dev.nvrc.vmtest;

/** How a VM boot ended, decided from its serial console. */
public enum Outcome {
    /** The agent ran, every check passed ({@code AGENT-DONE ... failed=0}) and the VM powered off. */
    HANDOFF_OK,
    /** The agent ran but some check failed (or it did not finish, or the VM did not power off). */
    AGENT_CHECKS_FAILED,
    /** The init reported {@code nvrc: FAILED <step>: <reason>} and powered the VM off. */
    INIT_FAILED,
    /** The kernel panicked, e.g. because PID 1 exited. */
    KERNEL_PANIC,
    /** The JVM crashed ({@code # A fatal error has been detected by the Java Runtime Environment}). */
    JVM_CRASH,
    /** The VM did not stop within the time given. */
    TIMEOUT,
    /** QEMU ended with none of the above on the console (it could not start, for instance). */
    UNCLASSIFIED
}
