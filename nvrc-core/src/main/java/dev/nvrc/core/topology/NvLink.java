package dev.nvrc.core.topology;

/** Which NVLink fabric, if any, the VM has to bring up. */
public enum NvLink {
    /** No fabric: no Fabric Manager. */
    NONE,
    /** NVLink 4 (NVSwitch, HGX H100/H200/H800): Fabric Manager. */
    NVL4,
    /** NVLink 5 (SW_MNG NICs, HGX B200/B300/B100): NVLSM, then Fabric Manager. */
    NVL5
}
