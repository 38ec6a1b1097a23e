package dev.nvrc.fabric;

import dev.nvrc.core.GuestLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricManagerConfigStepTest {
    private static final String SHIPPED = "usr/share/nvidia/nvswitch/fabricmanager.cfg";

    @TempDir
    Path root;

    private final FakePorts fakes = new FakePorts();

    private BootContext context() {
        return fakes.context(BootConfig.defaults(), SysfsFixture.at(root).paths());
    }

    private Path written() {
        return root.resolve("run/fabricmanager.cfg");
    }

    @Test
    void writesTheRewrittenCopyReadOnlyAndLeavesTheShippedFileAlone() throws Exception {
        byte[] shipped = FabricManagerConfigTest.resource("nvidia-default.cfg");
        SysfsFixture.at(root).file(SHIPPED, shipped).dir("run");

        new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context());

        assertThat(Files.readAllBytes(written()))
                .isEqualTo(FabricManagerConfigTest.resource("nvidia-default.servicevm-greedy.expected.cfg"));
        assertThat(Files.getPosixFilePermissions(written())).containsExactly(PosixFilePermission.OWNER_READ);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written()))).isEqualTo("r--------");
        assertThat(Files.readAllBytes(root.resolve(SHIPPED))).isEqualTo(shipped);
        try (Stream<Path> run = Files.list(root.resolve("run"))) {
            assertThat(run).as("no temporary file left behind").containsExactly(written());
        }
    }

    @Test
    void replacesAnEarlierReadOnlyCopy() throws Exception {
        SysfsFixture.at(root).text(SHIPPED, "FABRIC_MODE=0\n").text("run/fabricmanager.cfg", "stale\n");
        Files.setPosixFilePermissions(written(), PosixFilePermissions.fromString("r--------"));

        new FabricManagerConfigStep(GuestLayout.baseImage(), 0, RailPolicy.SYMMETRIC).run(context());

        assertThat(Files.readString(written())).isEqualTo(
                "FABRIC_MODE=0\nPARTITION_RAIL_POLICY=symmetric\nDAEMONIZE=0\nLOG_USE_SYSLOG=1\n"
                        + "STATE_FILE_NAME=/run/fabricmanager.state\nLOG_LEVEL=4\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written()))).isEqualTo("r--------");
    }

    @Test
    void readsTheShippedConfigFromTheGpuExtension() throws Exception {
        SysfsFixture.at(root).text("run/kata-extensions/gpu/" + SHIPPED, "FABRIC_MODE=0\n")
                .text(SHIPPED, "FABRIC_MODE=9 from the base image\n");

        new FabricManagerConfigStep(GuestLayout.gpuExtension(), 1, RailPolicy.GREEDY).run(context());

        assertThat(Files.readString(written())).startsWith("FABRIC_MODE=1\nPARTITION_RAIL_POLICY=greedy\n");
    }

    @Test
    void withTheGpuExtensionTheUserSpaceDirectoriesPointIntoIt() throws Exception {
        SysfsFixture.at(root).text("run/kata-extensions/gpu/" + SHIPPED,
                "TOPOLOGY_FILE_PATH=/usr/share/nvidia/nvswitch # shipped\nLOG_FILE_NAME=/var/log/fabricmanager.log\n");

        new FabricManagerConfigStep(GuestLayout.gpuExtension(), 1, RailPolicy.GREEDY).run(context());

        assertThat(Files.readString(written())).isEqualTo(
                "TOPOLOGY_FILE_PATH=/run/kata-extensions/gpu/usr/share/nvidia/nvswitch\n"
                        + "LOG_FILE_NAME=/var/log/fabricmanager.log\n"
                        + "FABRIC_MODE=1\nPARTITION_RAIL_POLICY=greedy\nDAEMONIZE=0\nLOG_USE_SYSLOG=1\n"
                        + "STATE_FILE_NAME=/run/fabricmanager.state\n"
                        + "DATABASE_PATH=/run/kata-extensions/gpu/usr/share/nvidia/nvswitch\nLOG_LEVEL=4\n");
    }

    @Test
    void aPathAlreadyInTheExtensionIsKeptAndTheBaseImageMovesNothing() throws Exception {
        SysfsFixture.at(root).text("run/kata-extensions/gpu/" + SHIPPED,
                "TOPOLOGY_FILE_PATH=/run/kata-extensions/gpu/usr/share/nvidia/nvswitch\nDATABASE_PATH=/opt/db\n")
                .text(SHIPPED, "TOPOLOGY_FILE_PATH=/usr/share/nvidia/nvswitch\n").dir("run/kata-extensions/gpu/opt/db");

        new FabricManagerConfigStep(GuestLayout.gpuExtension(), 1, RailPolicy.GREEDY).run(context());
        assertThat(Files.readString(written())).startsWith(
                "TOPOLOGY_FILE_PATH=/run/kata-extensions/gpu/usr/share/nvidia/nvswitch\n"
                        + "DATABASE_PATH=/run/kata-extensions/gpu/opt/db\n");

        new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context());
        assertThat(Files.readString(written())).startsWith("TOPOLOGY_FILE_PATH=/usr/share/nvidia/nvswitch\n")
                .doesNotContain("DATABASE_PATH");
    }

    @Test
    void logLevelIsRaisedToInfoWhenTheShippedOneIsLowerUnsetOrNotANumber() throws Exception {
        for (String[] c : new String[][] {{"LOG_LEVEL=1\n", "LOG_LEVEL=4\n"}, {"# LOG_LEVEL=1\n", "LOG_LEVEL=4\n"},
                {"LOG_LEVEL=3 # warnings\n", "LOG_LEVEL=4\n"}, {"LOG_LEVEL=high\n", "LOG_LEVEL=4\n"},
                {"LOG_LEVEL=4\n", "LOG_LEVEL=4\n"}, {"LOG_LEVEL=5\n", "LOG_LEVEL=5\n"},
                {"LOG_LEVEL=4\nLOG_LEVEL=0\n", "LOG_LEVEL=4\nLOG_LEVEL=4\n"}}) {
            SysfsFixture.at(root).text(SHIPPED, c[0]).dir("run");
            new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context());
            String written = Files.readString(written());
            assertThat(written.lines().filter(l -> l.startsWith("LOG_LEVEL")).map(l -> l + "\n")
                    .reduce("", String::concat)).as(c[0]).isEqualTo(c[1]);
            assertThat(written).as(c[0]).contains("\nSTATE_FILE_NAME=/run/fabricmanager.state\n")
                    .contains("\nDAEMONIZE=0\n").contains("\nLOG_USE_SYSLOG=1\n");
            Files.setPosixFilePermissions(written(), PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void topologyAndDatabaseDirectoriesMustExist() {
        SysfsFixture.at(root).text(SHIPPED, "TOPOLOGY_FILE_PATH=/opt/fm/topology\n").dir("run");
        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessage("Fabric Manager's TOPOLOGY_FILE_PATH /opt/fm/topology is not a directory: the image must ship"
                        + " Fabric Manager's topology files there (/usr/share/nvidia/nvswitch/fabricmanager.cfg)");
        SysfsFixture.at(root).text(SHIPPED, "DATABASE_PATH=/opt/fm/db\n").dir("run/kata-extensions/gpu");
        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("Fabric Manager's DATABASE_PATH /opt/fm/db is not a directory");
        assertThat(written()).doesNotExist();
    }

    @Test
    void thePlanSaysWhatIsForced() {
        assertThat(new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).describe().details())
                .containsEntry("set", "FABRIC_MODE=1 PARTITION_RAIL_POLICY=greedy DAEMONIZE=0 LOG_USE_SYSLOG=1"
                        + " STATE_FILE_NAME=/run/fabricmanager.state")
                .containsEntry("raise", "LOG_LEVEL to 4 (INFO, where the readiness lines are) when the shipped value"
                        + " is lower or unset");
    }

    @Test
    void missingShippedConfigNamesTheFile() {
        SysfsFixture.at(root).dir("run");

        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessage("Fabric Manager config /usr/share/nvidia/nvswitch/fabricmanager.cfg is missing:"
                        + " the image must ship it with nv-fabricmanager");
        assertThat(written()).doesNotExist();
    }

    @Test
    void missingShippedConfigInTheExtensionNamesTheExtensionPath() {
        SysfsFixture.at(root).text(SHIPPED, "FABRIC_MODE=0\n").dir("run/kata-extensions/gpu");

        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.gpuExtension(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("/run/kata-extensions/gpu/usr/share/nvidia/nvswitch/fabricmanager.cfg is missing");
    }

    @Test
    void unreadableShippedConfigNamesTheFile() {
        SysfsFixture.at(root).dir(SHIPPED).dir("run");

        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("/usr/share/nvidia/nvswitch/fabricmanager.cfg is a directory");
    }

    @Test
    void unwritableRunNamesTheTarget() {
        SysfsFixture.at(root).text(SHIPPED, "FABRIC_MODE=0\n").text("run", "a file where /run should be");

        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessage("cannot write /run/fabricmanager.cfg: Not a directory");
    }

    @Test
    void aDirectoryInTheWayOfTheTargetFailsAndLeavesNoTemporaryFile() throws Exception {
        SysfsFixture.at(root).text(SHIPPED, "FABRIC_MODE=0\n").text("run/fabricmanager.cfg/occupied", "x");

        assertThatThrownBy(() -> new FabricManagerConfigStep(GuestLayout.baseImage(), 1, RailPolicy.GREEDY).run(context()))
                .isInstanceOf(BootFailure.class)
                .hasMessage("refusing to write /run/fabricmanager.cfg: it is a directory, not a regular file");
        try (Stream<Path> run = Files.list(root.resolve("run"))) {
            assertThat(run).containsExactly(written());
        }
    }

    @Test
    void describesTheCopyWithoutTouchingAnything() {
        FabricManagerConfigStep step = new FabricManagerConfigStep(GuestLayout.gpuExtension(), 1, RailPolicy.GREEDY);

        assertThat(step.name()).isEqualTo("fabricmanager.cfg");
        assertThat(step.describe().argv()).isEmpty();
        assertThat(step.describe().details()).containsExactly(
                java.util.Map.entry("source", "/run/kata-extensions/gpu/usr/share/nvidia/nvswitch/fabricmanager.cfg"),
                java.util.Map.entry("path", "/run/fabricmanager.cfg"),
                java.util.Map.entry("mode", "0400"),
                java.util.Map.entry("set", "FABRIC_MODE=1 PARTITION_RAIL_POLICY=greedy DAEMONIZE=0 LOG_USE_SYSLOG=1"
                        + " STATE_FILE_NAME=/run/fabricmanager.state"),
                java.util.Map.entry("raise", "LOG_LEVEL to 4 (INFO, where the readiness lines are) when the shipped"
                        + " value is lower or unset"),
                java.util.Map.entry("require", "the directories of TOPOLOGY_FILE_PATH and DATABASE_PATH exist"),
                java.util.Map.entry("relocate", "DATABASE_PATH TOPOLOGY_FILE_PATH under /run/kata-extensions/gpu (the"
                        + " shipped values, /usr/share/nvidia/nvswitch when unset)"));
        assertThat(root).isEmptyDirectory();
    }
}
