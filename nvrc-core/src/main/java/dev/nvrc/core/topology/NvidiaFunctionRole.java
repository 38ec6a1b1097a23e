package dev.nvrc.core.topology;

/** What an NVIDIA PCI function is to nvrc, by its 24-bit class code. */
enum NvidiaFunctionRole {
    /** Display controller, class 0x03xxxx (VGA 0x0300, 3D 0x0302, other 0x0380). */
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
            return GPU;
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
