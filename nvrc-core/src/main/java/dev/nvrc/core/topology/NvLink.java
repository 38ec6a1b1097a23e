package dev.nvrc.core.topology;

/** Which NVLink fabric, if any, the VM has to bring up. */
public enum NvLink {
    /** No fabric: no Fabric Manager. */
    NONE,
    /** NVLink 3 (second-generation NVSwitch, HGX A100, six per board): Fabric Manager alone. */
    NVL3,
    /** NVLink 4 (third-generation NVSwitch, HGX H100/H200/H800/H20, four per board): Fabric Manager alone. */
    NVL4,
    /** NVLink 5 (SW_MNG ConnectX-7 bridges, HGX B200/B300/B100): NVLSM, then Fabric Manager. */
    NVL5;

    /** True for the fabrics whose NVSwitches are PCI functions of the VM and that Fabric Manager alone runs. */
    public boolean isNvSwitchFabric() {
        return this == NVL3 || this == NVL4;
    }
}
