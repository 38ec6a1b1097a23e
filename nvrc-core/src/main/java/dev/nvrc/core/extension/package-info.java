/**
 * Kata composable-image extensions: the cold-plugged block devices whose {@code serial} reads
 * {@code extension-<name>}, reconciled one to one with the {@code kata.extension.<name>.verity_params}
 * of the (measured) kernel command line, failing closed, and how each is opened with dm-verity and
 * mounted. Only reads sysfs; the opening and mounting are steps run by the launcher.
 */
package dev.nvrc.core.extension;
