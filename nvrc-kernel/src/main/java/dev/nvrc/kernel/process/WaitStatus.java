package dev.nvrc.kernel.process;

import dev.nvrc.core.port.ExitStatus;

/** Decodes a waitpid(2) status word (the WIFEXITED/WEXITSTATUS/WTERMSIG macros). */
final class WaitStatus {
    private WaitStatus() {}

    /** The exit status of a child that has terminated (exited or was killed). */
    static ExitStatus decode(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return ExitStatus.exited((status >> 8) & 0xff);
        }
        return ExitStatus.killed(signal);
    }
}
