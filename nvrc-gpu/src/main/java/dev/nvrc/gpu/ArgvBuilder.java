package dev.nvrc.gpu;

import java.util.List;

/** Builds a step's argv when it is described or run (the gpu extension may appear in between). */
@FunctionalInterface
interface ArgvBuilder {
    List<String> argv(GpuExtension extension);
}
