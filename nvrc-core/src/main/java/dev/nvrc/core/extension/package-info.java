/**
 * Kata composable-image extensions: the cold-plugged block devices whose {@code serial} reads
 * {@code extension-<name>}, reconciled one to one with the {@code kata.extension.<name>.verity_params}
 * of the (measured) kernel command line, failing closed, and how each is opened with dm-verity and
 * mounted. Deciding only reads sysfs; the opening and mounting ({@code ExtensionMountStep}) and
 * the gpu extension's firmware bind and loader cache ({@code GpuFirmwareStep},
 * {@code LoaderCacheStep}) are steps on core's ports, which the launcher's boot runs.
 */
package dev.nvrc.core.extension;
