/**
 * NVSwitch fabrics: Fabric Manager for NVLink 4 (HGX H100/H200/H800) and NVLSM plus Fabric
 * Manager for NVLink 5 (HGX B200/B300/B100), in an NVSwitch service VM or beside the GPUs of a
 * full-passthrough VM.
 *
 * <p>{@link dev.nvrc.fabric.FabricSteps} turns core's mode decision into the boot's fabric steps and the port GUID decision;
 * {@link dev.nvrc.fabric.FabricManagerConfig} rewrites a Fabric Manager config and
 * {@link dev.nvrc.fabric.PortGuidFinder} finds the InfiniBand port GUID, both usable on their own.
 * See docs/fabric.md.
 */
package dev.nvrc.fabric;
