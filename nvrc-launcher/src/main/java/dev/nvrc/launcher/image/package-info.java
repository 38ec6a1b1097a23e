/**
 * Build-time tools of the boot image, run by {@code build-image.sh} on the build host, never in
 * the guest: {@link dev.nvrc.launcher.image.ImageSbom} writes the CycloneDX SBOM of every file the
 * image ships (docs/security.md).
 */
package dev.nvrc.launcher.image;
