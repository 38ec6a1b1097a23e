package dev.nvrc.plan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.api.NvrcException;
import dev.nvrc.examples.PlanExamples;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fourth example of docs/library.md gives what the page says. */
class PlanExamplesTest {
    @TempDir
    Path root;

    @Test
    void aGuestWithTheDriverLoadedShowsItsProgramsAndCdiDevices() throws Exception {
        GuestPlanTest.MinimalDriver.twoGpus(root);

        assertThat(PlanExamples.whatWillRun("nvrc.dcgm=on", root)).isEqualTo("""
                mode gpu, base image
                modprobe nvidia: /sbin/modprobe nvidia
                modprobe nvidia-uvm: /sbin/modprobe nvidia-uvm
                nvidia-persistenced: /bin/nvidia-persistenced --verbose --uvm-persistence-mode (awaits Local RPC \
                services initialized)
                nv-hostengine: /bin/nv-hostengine -n --service-account nvidia-dcgm --home-dir /tmp --pid \
                /run/nvhostengine.pid --log-filename /run/nv-hostengine.log (awaits Started host engine version)
                dcgm-exporter: /bin/dcgm-exporter -k -f /etc/dcgm-exporter/default-counters.csv -r localhost:5555
                handoff: /usr/bin/kata-agent
                cdi devices: [0, %s, 1, %s, all]
                """.formatted(GuestPlanTest.MinimalDriver.UUID_0, GuestPlanTest.MinimalDriver.UUID_1));
    }

    @Test
    void anImageBeforeBootHasNoCdiDevicesYet() throws Exception {
        SysfsFixture.at(root).gpus(1);

        assertThat(PlanExamples.whatWillRun("", root)).endsWith("cdi devices: none known before the driver is loaded\n");
        assertThatThrownBy(() -> PlanExamples.whatWillRun("nvrc.dcgm=maybe", root)).isInstanceOf(NvrcException.class)
                .hasMessage("nvrc.dcgm=maybe: expected on/off, true/false, 1/0 or yes/no");
    }
}
