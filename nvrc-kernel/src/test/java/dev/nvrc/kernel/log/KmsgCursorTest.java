package dev.nvrc.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KmsgCursorTest {
    @Test
    void kernelRecordsGiveTheirTextOthersNothing() {
        assertThat(KmsgCursor.kernelText("3,1042,9123456,-;NVRM: No NVIDIA GPU found.\n")).isEqualTo("NVRM: No NVIDIA GPU found.");
        assertThat(KmsgCursor.kernelText("6,7,1,-,caller=T1;nvidia-nvlink: Unregistered\n SUBSYSTEM=pci\n"))
                .isEqualTo("nvidia-nvlink: Unregistered");
        // Facility user (what user space writes to /dev/kmsg, nvrc's own lines too) is not the kernel's.
        assertThat(KmsgCursor.kernelText("14,8,1,-;nvrc: FAILED x\n")).isNull();
        assertThat(KmsgCursor.kernelText("garbage")).isNull();
        assertThat(KmsgCursor.kernelText("x,1;y")).isNull();
        assertThat(KmsgCursor.kernelText(";,")).isNull();
    }

    @Test
    void aLogThatCannotBeOpenedGivesNoLines(@TempDir Path dir) {
        try (KmsgCursor c = KmsgCursor.atEnd(dir.resolve("missing"))) {
            assertThat(c.kernelLines()).isEmpty();
        }
        try (KmsgCursor c = KmsgCursor.atEnd(null)) {
            assertThat(c.kernelLines()).isEmpty();
        }
    }

    @Test
    void aRegularFileAtTheEndHasNothingNew(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("kmsg"), "0,1,1,-;old line\n");
        try (KmsgCursor c = KmsgCursor.atEnd(f)) {
            assertThat(c.kernelLines()).isEmpty();
        }
    }
}
