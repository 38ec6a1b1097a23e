package dev.nvrc.core.cmdline;

/**
 * {@code nvrc.smi.srs}: the confidential-computing ready state the GPUs are set to with
 * {@code nvidia-smi conf-compute -srs <0|1>} once the boot has configured them (the driver accepts
 * work from a confidential VM's tenants only when it is ready).
 */
public enum ConfComputeReadyState {
    /** {@code 0} ({@code nvrc.smi.srs=0} or {@code disabled}). */
    NOT_READY("0"),
    /** {@code 1} ({@code nvrc.smi.srs=1} or {@code enabled}). */
    READY("1");

    private final String argument;

    ConfComputeReadyState(String argument) {
        this.argument = argument;
    }

    /** The argument of {@code nvidia-smi conf-compute -srs}. */
    public String argument() {
        return argument;
    }

    /** The state for a {@code nvrc.smi.srs} value ({@code 1}, {@code 0}, {@code enabled}, {@code disabled}). */
    static ConfComputeReadyState of(String value) {
        return value.equals("1") || value.equals("enabled") ? READY : NOT_READY;
    }

    @Override
    public String toString() {
        return argument;
    }
}
