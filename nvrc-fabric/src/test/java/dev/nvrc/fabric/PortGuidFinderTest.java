package dev.nvrc.fabric;

import static dev.nvrc.fabric.InfinibandFixture.SM_ALLOWED;
import static dev.nvrc.fabric.InfinibandFixture.SM_DISABLED;
import static dev.nvrc.fabric.InfinibandFixture.gid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortGuidFinderTest {
    @TempDir
    Path root;

    private SysfsFixture sysfs;
    private InfinibandFixture ib;

    @BeforeEach
    void fixture() {
        sysfs = SysfsFixture.at(root);
        ib = InfinibandFixture.in(sysfs);
    }

    private PortGuid find() throws BootFailure {
        return PortGuidFinder.find(sysfs.paths());
    }

    @Test
    void takesTheFirstPortByPciAddressNotByDeviceName() throws Exception {
        ib.device("mlx5_2", SM_ALLOWED, gid("0000:0000:0000:0002"))   // 0000:c0:00.0
                .device("mlx5_10", SM_ALLOWED, gid("0000:0000:0000:0010")) // 0000:c1:00.0
                .device("mlx5_1", SM_ALLOWED, gid("0000:0000:0000:0003"));  // 0000:c2:00.0

        assertThat(find()).isEqualTo(new PortGuid("mlx5_2", 1, "0x0000000000000002"));
    }

    @Test
    void withinAFunctionThePortNumberOrdersThenTheDeviceName() throws Exception {
        ib.device("mlx5_0", SM_DISABLED, gid("0000:0000:0000:0001"));
        Path ports = root.resolve("sys/class/infiniband/mlx5_0/ports").toRealPath();
        Files.createDirectories(ports.resolve("2/gids"));
        Files.writeString(ports.resolve("2/cap_mask"), SM_ALLOWED + "\n");
        Files.writeString(ports.resolve("2/link_layer"), "InfiniBand\n");
        Files.writeString(ports.resolve("2/gids/0"), gid("0000:0000:0000:0002"));
        Files.createDirectories(ports.resolve("3/gids"));
        Files.writeString(ports.resolve("3/cap_mask"), SM_ALLOWED + "\n");
        Files.writeString(ports.resolve("3/link_layer"), "InfiniBand\n");
        Files.writeString(ports.resolve("3/gids/0"), gid("0000:0000:0000:0003"));
        Files.createDirectories(ports.resolve("0"));   // port 0 is no port
        Files.createDirectories(ports.resolve("x1"));  // nor is a name that is no number

        assertThat(find()).isEqualTo(new PortGuid("mlx5_0", 2, "0x0000000000000002"));
        assertThat(find()).hasToString("0x0000000000000002 (mlx5_0 port 2)");
    }

    @Test
    void anEthernetPortIsNoSubnetManagerPort() throws Exception {
        ib.device("mlx5_0", SM_ALLOWED, gid("0000:0000:0000:0001"))
                .device("mlx5_1", SM_ALLOWED, gid("0000:0000:0000:0002"));
        Files.writeString(root.resolve("sys/class/infiniband/mlx5_0/ports/1/link_layer").toRealPath(), "Ethernet\n");

        assertThat(find().device()).isEqualTo("mlx5_1");
    }

    @Test
    void theUnmarkedSiblingOfAMarkedBridgeFunctionQualifies() throws Exception {
        ib.computeNic("mlx5_0", SM_ALLOWED, gid("e09d:7303:0000:0000")); // 0000:c0:00.0, unmarked
        // Mark a second function in the same slot: 0000:c0:00.0 is now its sibling.
        Path function = root.resolve("sys/class/infiniband/mlx5_0/device").toRealPath();
        Path marked = function.resolveSibling("0000:c0:00.1");
        Files.createDirectories(marked);
        Files.writeString(marked.resolve("vendor"), "0x15b3\n");
        Files.write(marked.resolve("vpd"), SysfsFixture.connectX7Vpd(true));

        assertThat(find()).isEqualTo(new PortGuid("mlx5_0", 1, "0xe09d730300000000"));
    }

    @Test
    void skipsPortsWithTheSubnetManagerDisabled() throws Exception {
        ib.device("mlx5_0", SM_DISABLED, gid("aaaa:aaaa:aaaa:aaaa"))
                .device("mlx5_1", SM_DISABLED, gid("bbbb:bbbb:bbbb:bbbb"))
                .device("mlx5_2", SM_ALLOWED, gid("0002:c903:0029:7de1"));

        PortGuid guid = find();

        assertThat(guid.guid()).isEqualTo("0x0002c90300297de1");
        assertThat(guid.device()).isEqualTo("mlx5_2");
        assertThat(guid).hasToString("0x0002c90300297de1 (mlx5_2 port 1)");
    }

    @Test
    void skipsDevicesWithoutPortOne() throws Exception {
        ib.deviceWithoutPort("mlx5_0").device("mlx5_1", SM_ALLOWED, gid("0002:c903:0029:7de1"));

        assertThat(find().device()).isEqualTo("mlx5_1");
    }

    @Test
    void printsTheGuidInLowerCaseWhateverTheKernelPrinted() throws Exception {
        ib.device("mlx5_0", SM_ALLOWED, "FE80:0000:0000:0000:0002:C903:0029:7DE1\n");

        assertThat(find().guid()).isEqualTo("0x0002c90300297de1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0xa651e848", "a651e848", "0XA651E848", "  0x00000048  ", "0x0"})
    void acceptsCapMasksAsTheKernelMightPrintThem(String capMask) throws Exception {
        ib.device("mlx5_0", capMask, gid("0002:c903:0029:7de1"));

        assertThat(find().guid()).isEqualTo("0x0002c90300297de1");
    }

    @Test
    void allPortsSmDisabledNamesEachDevice() {
        ib.device("mlx5_0", SM_DISABLED, gid("aaaa:aaaa:aaaa:aaaa"))
                .deviceWithoutPort("mlx5_1")
                .device("mlx5_2", "0x400", gid("bbbb:bbbb:bbbb:bbbb"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class).hasMessage(
                "no InfiniBand port in /sys/class/infiniband can host NVLSM:"
                + " mlx5_0 (0000:c0:00.0) port 1 has IsSMDisabled set (cap_mask 0xa651ec48);"
                + " mlx5_1 (0000:c1:00.0) has no port above 0;"
                + " mlx5_2 (0000:c2:00.0) port 1 has IsSMDisabled set (cap_mask 0x00000400)"
                + " (NVLSM needs an InfiniBand port of a ConnectX management function with the subnet manager"
                + " allowed)");
    }

    /**
     * An HGX B200 guest with ConnectX-7 compute NICs (mlx5_0..mlx5_3, ports that allow a subnet
     * manager, first in name order) and the two SW_MNG bridge functions after them: the port must
     * be a bridge's, never the first SM-capable port (upstream's choice, mlx5_0).
     */
    @Test
    void onAB200WithComputeNicsThePortIsTheManagementBridgesNotTheFirstSmCapableOne() throws Exception {
        for (int i = 0; i < 4; i++) {
            ib.computeNic("mlx5_" + i, SM_ALLOWED, gid("e09d:7303:0000:000" + i));
        }
        ib.device("mlx5_4", SM_DISABLED, gid("b0b0:0000:0000:0004"))
                .device("mlx5_5", SM_ALLOWED, gid("b0b0:0000:0000:0005"));

        assertThat(find()).isEqualTo(new PortGuid("mlx5_5", 1, "0xb0b0000000000005"));
    }

    @Test
    void computeNicsAloneCannotHostNvlsmAndTheFailureSaysWhy() {
        ib.computeNic("mlx5_0", SM_ALLOWED, gid("e09d:7303:0000:0000"))
                .computeNic("mlx5_1", SM_ALLOWED, gid("e09d:7303:0000:0001"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class).hasMessage(
                "no InfiniBand port in /sys/class/infiniband can host NVLSM:"
                + " mlx5_0 (0000:c0:00.0) is not a ConnectX management function (no SMDL=SW_MNG in its slot): a compute NIC;"
                + " mlx5_1 (0000:c1:00.0) is not a ConnectX management function (no SMDL=SW_MNG in its slot): a compute NIC"
                + " (NVLSM needs an InfiniBand port of a ConnectX management function with the subnet manager allowed)");
    }

    @Test
    void aDeviceWithoutItsPciFunctionLinkIsSkippedAndNamed() throws Exception {
        sysfs.dir("sys/class/infiniband/rxe0/ports/1");
        ib.device("mlx5_0", SM_ALLOWED, gid("0002:c903:0029:7de1"));

        assertThat(find().device()).isEqualTo("mlx5_0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x", "zz", "0x1234567890", "-0x1", "0x12 34", "0x400 junk"})
    void malformedCapMaskIsAnErrorNamingTheFileNotSmEnabled(String capMask) {
        // Upstream reads these as 0 ("subnet manager allowed") and would start NVLSM on the port.
        ib.device("mlx5_0", capMask, gid("0002:c903:0029:7de1"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("/sys/class/infiniband/mlx5_0/ports/1/cap_mask: expected a 32-bit hex"
                        + " capability mask such as 0x2651e84a, found '");
    }

    @Test
    void aMalformedCapMaskOfAnyManagementPortIsAnErrorNotOnlyOfTheChosenOne() throws Exception {
        ib.device("mlx5_0", SM_ALLOWED, gid("0002:c903:0029:7de1")).device("mlx5_1", "garbage", gid("0000:0000:0000:0001"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("/sys/class/infiniband/mlx5_1/ports/1/cap_mask: expected a 32-bit hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80:0000:0000:0000:0002:c903:0029\n", "fe80:0000:0000:0000:0002:c903:0029:7de1:0000\n",
        "fe80::0002:c903:0029:7de1\n", "fe80:0000:0000:0000:0002:c903:0029:7dg1\n", "fe80:0000:0000:0000:02:c903:0029:7de1\n",
        "\n", "fe80:0000:0000:0000:0002:c903:0029:7de1:\n"})
    void malformedGidIsAnErrorNamingTheFile(String gid) {
        ib.device("mlx5_0", SM_ALLOWED, gid).device("mlx5_1", SM_ALLOWED, gid("0002:c903:0029:7de1"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("/sys/class/infiniband/mlx5_0/ports/1/gids/0: expected a GID of 8"
                        + " colon-separated groups of 4 hex digits such as fe80:0000:0000:0000:0002:c903:0029:7de1,"
                        + " found '");
    }

    @Test
    void unexpectedContentIsQuotedOnOneLineAndCut() {
        ib.device("mlx5_0", SM_ALLOWED, "\t" + "x".repeat(199) + "\n").device("mlx5_1", SM_ALLOWED, gid("0002:c903:0029:7de1"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessageEndingWith("found '\\t" + "x".repeat(PortGuidFinder.QUOTE_LIMIT - 1) + "'... (201 characters)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void zeroGuidIsAnError() {
        ib.device("mlx5_0", SM_ALLOWED, gid("0000:0000:0000:0000"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class).hasMessage(
                "/sys/class/infiniband/mlx5_0/ports/1/gids/0: the port GUID is zero"
                + " (fe80:0000:0000:0000:0000:0000:0000:0000): the port has no identity yet");
    }

    @Test
    void missingGidFileNamesIt() throws Exception {
        ib.device("mlx5_0", SM_ALLOWED, gid("0002:c903:0029:7de1"));
        Files.delete(root.resolve("sys/class/infiniband/mlx5_0/ports/1/gids/0"));

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessage("/sys/class/infiniband/mlx5_0/ports/1/gids/0 is missing");
    }

    @Test
    void unreadableCapMaskNamesIt() throws Exception {
        ib.device("mlx5_0", SM_ALLOWED, gid("0002:c903:0029:7de1"));
        Path capMask = root.resolve("sys/class/infiniband/mlx5_0/ports/1/cap_mask");
        Files.delete(capMask);
        Files.createDirectory(capMask);

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("cannot read /sys/class/infiniband/mlx5_0/ports/1/cap_mask: ");
    }

    @Test
    void missingClassDirectorySaysMlx5IbCreatedNoDevice() {
        sysfs.dir("sys/class/net");

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class).hasMessage(
                "/sys/class/infiniband does not exist: mlx5_ib did not create any InfiniBand device"
                + " (is the SW_MNG ConnectX passed through to this VM?)");
    }

    @Test
    void emptyClassDirectorySaysMlx5IbCreatedNoDevice() {
        ib.emptyClass();

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class).hasMessage(
                "/sys/class/infiniband is empty: mlx5_ib did not create any InfiniBand device"
                + " (is the SW_MNG ConnectX passed through to this VM?)");
    }

    @Test
    void classPathThatIsNotADirectoryCannotBeListed() {
        sysfs.text("sys/class/infiniband", "not a directory\n");

        assertThatThrownBy(this::find).isInstanceOf(BootFailure.class)
                .hasMessage("cannot list /sys/class/infiniband: not a directory");
    }

    @Test
    void parsersAcceptExactlyTheKernelFormats() throws Exception {
        assertThat(PortGuidFinder.parseCapMask("0xffffffff\n", "f")).isEqualTo(0xffffffffL);
        assertThat(PortGuidFinder.guidOf(" fe80:0000:0000:0000:0002:c903:0029:7de1 \n", "g"))
                .isEqualTo("0x0002c90300297de1");
    }
}
