package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PciVpdTest {
    /** A ConnectX-6 VPD as the card stores it (lspci -vv of an MCX653105A), bytes written out by hand. */
    private static byte[] connectX6() {
        StringBuilder b = new StringBuilder();
        String id = "ConnectX-6 VPI adapter card, HDR IB (200Gb/s) and 200GbE, single-port QSFP56";
        b.append('\u0082').append((char) id.length()).append('\u0000').append(id);
        String ro = kw("PN", "MCX653105A-HDAT") + kw("EC", "A6") + kw("SN", "MT2006X19556")
                + kw("VA", "MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX653105A") + kw("V0", "PCIeGen4 x16")
                + kw("RV", "\u00a5");
        b.append('\u0090').append((char) ro.length()).append('\u0000').append(ro);
        b.append('\u0078');
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String kw(String name, String value) {
        return name + (char) value.length() + value;
    }

    @Test
    void parsesTheIdStringAndEveryReadOnlyKeyword() throws Exception {
        PciVpd vpd = PciVpd.parse(connectX6());
        assertThat(vpd.idString()).startsWith("ConnectX-6 VPI adapter card");
        assertThat(vpd.keywords()).extracting(PciVpd.Keyword::name).containsExactly("PN", "EC", "SN", "VA", "V0", "RV");
        assertThat(vpd.keyword("PN")).contains("MCX653105A-HDAT");
        assertThat(vpd.keyword("VA")).contains("MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX653105A");
        assertThat(vpd.isSwitchManagement()).isFalse();
    }

    @Test
    void theSwMngBridgeIsMarkedByTheSmdlField() throws Exception {
        PciVpd bridge = new PciVpd("bridge", List.of(new PciVpd.Keyword("VA",
                "MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX750500B:SMDL=SW_MNG")));
        assertThat(PciVpd.parse(bridge.toBytes())).isEqualTo(bridge);
        assertThat(bridge.isSwitchManagement()).isTrue();
        assertThat(new PciVpd("SMDL=SW_MNG", List.of()).isSwitchManagement()).as("the product name is no field")
                .isFalse();
        assertThat(new PciVpd("", List.of(new PciVpd.Keyword("VA", "SMDL=SW_MNGR"))).isSwitchManagement()).isFalse();
    }

    @Test
    void writableKeywordsAndBytesAfterTheEndTagAreRead() throws Exception {
        byte[] bytes = ("\u0091\u0007\u0000V1\u0004SMDL\u0078garbage after the end")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PciVpd.parse(bytes).keyword("V1")).contains("SMDL");
        assertThat(PciVpd.parse(new byte[0]).keywords()).isEmpty();
        assertThat(PciVpd.parse(new byte[0]).idString()).isEmpty();
    }

    @Test
    void truncatedOrUnknownResourcesAreMalformed() {
        for (String bad : List.of("\u0082\u0010\u0000short", "\u0082\u0001", "\u0090\u0004\u0000VA\u0009x",
                "\u0090\u0002\u0000VA", "\u00a0\u0000\u0000", "\u0010")) {
            assertThatThrownBy(() -> PciVpd.parse(bad.getBytes(StandardCharsets.ISO_8859_1)))
                    .as(bad).isInstanceOf(PciVpd.MalformedVpdException.class);
        }
    }

    @Test
    void keywordsThatCannotBeEncodedAreRefused() {
        assertThatThrownBy(() -> new PciVpd("", List.of(new PciVpd.Keyword("VAX", "x"))).toBytes())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PciVpd("", List.of(new PciVpd.Keyword("VA", "x".repeat(256)))).toBytes())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
