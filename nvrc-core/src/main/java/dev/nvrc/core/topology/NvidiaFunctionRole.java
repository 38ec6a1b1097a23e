package dev.nvrc.core.topology;

/** What an NVIDIA PCI function is to nvrc, by its 24-bit class code. */
enum NvidiaFunctionRole {
    /** A GPU: display controller of subclass VGA (0x0300xx) or 3D (0x0302xx), upstream's rule. */
    GPU,
    /** Bridge of subclass "other", class 0x0680xx. */
    NVSWITCH,
    /** A function that comes with a GPU or the platform and needs nothing from nvrc. */
    COMPANION,
    /** NVIDIA silicon of a class nvrc does not know. */
    UNKNOWN;

    static NvidiaFunctionRole of(int classCode) {
        int baseClass = classCode >>> 16;
        int subClass = (classCode >>> 8) & 0xff;
        if (baseClass == 0x03) {
            // Display "other" (0x0380) is not a GPU to upstream's role rule (pcilibs-rs); nothing of
            // NVIDIA's that needs a driver reports it, so it is ignored rather than failing the boot.
            return subClass == 0x00 || subClass == 0x02 ? GPU : COMPANION;
        }
        if (baseClass == 0x06) {
            // Every bridge but "other" (NVSwitch) is plumbing: host, PCI-to-PCI, root ports of Grace.
            return subClass == 0x80 ? NVSWITCH : COMPANION;
        }
        if (baseClass == 0x04) {
            return COMPANION; // the HD-audio function of GPUs with display outputs
        }
        if (baseClass == 0x0c && (subClass == 0x03 || subClass == 0x80)) {
            return COMPANION; // USB-C controller and its UCSI function on Turing-class boards
        }
        return UNKNOWN;
    }
}
