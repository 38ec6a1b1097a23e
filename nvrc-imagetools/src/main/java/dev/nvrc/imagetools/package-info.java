/**
 * Build-time tools of the boot image, run by {@code build-image.sh} on the build host, never in
 * the guest, and not in the boot image (nvrc-imagetools is not on nvrc.jar's class path):
 * {@link dev.nvrc.imagetools.ImageSbom} writes the CycloneDX SBOM of every file the image ships,
 * {@link dev.nvrc.imagetools.VerifyImage} checks an unpacked image against it (docs/security.md),
 * {@link dev.nvrc.imagetools.CdsTraining} is the class-data-sharing training run
 * (docs/boot-image.md).
 */
package dev.nvrc.imagetools;
