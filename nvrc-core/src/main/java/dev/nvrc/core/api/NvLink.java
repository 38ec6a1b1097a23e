package dev.nvrc.core.api;

import java.util.Locale;

/** Which NVLink fabric, if any, the VM has to bring up ({@link ModeDecision#nvlink()}). */
public enum NvLink {
    /** No fabric: no Fabric Manager. */
    NONE,
    /** NVLink 3 (second-generation NVSwitch, HGX A100, six per board): Fabric Manager alone. */
    NVL3,
    /** NVLink 4 (third-generation NVSwitch, HGX H100/H200/H800/H20, four per board): Fabric Manager alone. */
    NVL4,
    /** NVLink 5 (SW_MNG ConnectX-7 bridges, HGX B200/B300/B100): NVLSM, then Fabric Manager. */
    NVL5;

    /**
     * The lower-case name the plan and the boot report show ({@code toString()} stays the
     * upper-case name the init's messages use: "an NVL5 fabric").
     *
     * @return {@code none}, {@code nvl3}, {@code nvl4} or {@code nvl5}
     */
    public String canonical() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the fabric's NVSwitches are PCI functions of the VM, and Fabric Manager alone runs it.
     *
     * @return true for {@link #NVL3} and {@link #NVL4}
     */
    public boolean isNvSwitchFabric() {
        return this == NVL3 || this == NVL4;
    }
}
