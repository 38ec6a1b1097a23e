package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model, its JSON layout, the version rule and the options. */
class CdiModelTest {
    private static final ContainerEdits NONE = new ContainerEdits(List.of(), List.of(), List.of(), List.of());

    @Test
    void jsonHasGoFieldOrderGoLayoutAndNoEmptyOrNullFields() {
        CdiSpec spec = CdiSpec.of("nvidia.com/gpu",
                List.of(new CdiDevice("gpu-a", ContainerEdits.nodesAndHooks(List.of(new DeviceNode("/dev/x", "/h/dev/x")),
                        List.of()))),
                new ContainerEdits(List.of("A=1"), List.of(DeviceNode.at("/dev/y")),
                        List.of(new Hook("createContainer", "/bin/h", List.of("h"), List.of())),
                        List.of(new Mount("/a", "/b", List.of("ro")))));
        assertThat(CdiSpecGenerator.toJson(spec)).isEqualTo(String.join("\n",
                "{",
                "  \"cdiVersion\": \"0.5.0\",",
                "  \"kind\": \"nvidia.com/gpu\",",
                "  \"devices\": [",
                "    {",
                "      \"name\": \"gpu-a\",",
                "      \"containerEdits\": {",
                "        \"deviceNodes\": [",
                "          {",
                "            \"path\": \"/dev/x\",",
                "            \"hostPath\": \"/h/dev/x\"",
                "          }",
                "        ]",
                "      }",
                "    }",
                "  ],",
                "  \"containerEdits\": {",
                "    \"env\": [",
                "      \"A=1\"",
                "    ],",
                "    \"deviceNodes\": [",
                "      {",
                "        \"path\": \"/dev/y\"",
                "      }",
                "    ],",
                "    \"hooks\": [",
                "      {",
                "        \"hookName\": \"createContainer\",",
                "        \"path\": \"/bin/h\",",
                "        \"args\": [",
                "          \"h\"",
                "        ]",
                "      }",
                "    ],",
                "    \"mounts\": [",
                "      {",
                "        \"hostPath\": \"/a\",",
                "        \"containerPath\": \"/b\",",
                "        \"options\": [",
                "          \"ro\"",
                "        ]",
                "      }",
                "    ]",
                "  }",
                "}",
                ""));
    }

    @Test
    void versionIs030UnlessADeviceNameStartsWithADigitOrANodeHasAHostPath() {
        CdiDevice named = new CdiDevice("gpu0", NONE);
        assertThat(CdiVersion.minimumFor(List.of(named), NONE)).isEqualTo("0.3.0");
        assertThat(CdiVersion.minimumFor(List.of(named, new CdiDevice("0", NONE)), NONE)).isEqualTo("0.5.0");
        ContainerEdits withHostPath = ContainerEdits.nodesAndHooks(List.of(new DeviceNode("/dev/a", "/r/dev/a")), List.of());
        assertThat(CdiVersion.minimumFor(List.of(named), withHostPath)).isEqualTo("0.5.0");
        assertThat(CdiVersion.minimumFor(List.of(new CdiDevice("gpu0", withHostPath)), NONE)).isEqualTo("0.5.0");
        ContainerEdits sameHostPath = ContainerEdits.nodesAndHooks(List.of(new DeviceNode("/dev/a", "/dev/a")), List.of());
        assertThat(CdiVersion.minimumFor(List.of(named), sameHostPath)).isEqualTo("0.3.0");
    }

    @Test
    void aDeviceNodesHostPathEqualToItsPathIsLeftOut() {
        assertThat(new DeviceNode("/dev/a", "/dev/a").hostPath()).isNull();
        assertThat(SharedCdi.dataBound(new DeviceNode("/dev/a", "/dev/a"))).doesNotContain("hostPath");
    }

    @Test
    void specLooksUpDevicesByName() {
        CdiSpec spec = CdiSpec.of("nvidia.com/gpu", List.of(new CdiDevice("a", NONE)), NONE);
        assertThat(spec.device("a")).isPresent();
        assertThat(spec.device("b")).isEmpty();
    }

    @Test
    void optionsAreNormalizedAbsoluteGuestPaths() throws NvrcException {
        CdiSpecOptions o = CdiSpecOptions.defaults().withDriverRoot("/run/x/").withDevRoot("/")
                .withCdiHookPath("/run/x/bin/../bin/nvidia-cdi-hook");
        assertThat(o.driverRoot()).isEqualTo("/run/x");
        assertThat(o.cdiHookPath()).contains("/run/x/bin/nvidia-cdi-hook");
        assertThat(CdiSpecOptions.defaults().cdiHookPath()).isEmpty();
        CdiSpecOptions changed = CdiSpecOptions.defaults().withDriverRoot("/d").withDevRoot("/e").withCdiHookPath("/h");
        assertThat(changed.driverRoot()).isEqualTo("/d");
        assertThat(changed.devRoot()).isEqualTo("/e");
        assertThat(changed.cdiHookPath()).contains("/h");
        assertThatThrownBy(() -> CdiSpecOptions.defaults().withDriverRoot("run/x"))
                .isInstanceOf(NvrcException.class).hasMessageContaining("driver root");
        assertThatThrownBy(() -> CdiSpecOptions.defaults().withDevRoot("dev"))
                .isInstanceOf(NvrcException.class).hasMessageContaining("dev root");
    }

    @Test
    void theOptionsOfALayout() throws NvrcException {
        assertThat(CdiSteps.options(GuestLayout.baseImage())).isEqualTo(CdiSpecOptions.defaults());
        assertThat(CdiSteps.options(GuestLayout.gpuExtension())).isEqualTo(KATA_GPU_EXTENSION);
    }

    /** The Kata gpu extension's options, spelled out path by path. */
    private static final CdiSpecOptions KATA_GPU_EXTENSION = kataGpuExtension();

    private static CdiSpecOptions kataGpuExtension() {
        try {
            return CdiSpecOptions.defaults().withDriverRoot("/run/kata-extensions/gpu").withDevRoot("/")
                    .withCdiHookPath("/run/kata-extensions/gpu/bin/nvidia-cdi-hook");
        } catch (NvrcException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void detectFindsTheKataGpuExtension(@TempDir Path root) throws Exception {
        assertThat(CdiSteps.options(GuestLayout.detect(NvrcPaths.under(root)))).isEqualTo(CdiSpecOptions.defaults());
        Files.createDirectories(root.resolve("run/kata-extensions/gpu"));
        assertThat(CdiSteps.options(GuestLayout.detect(NvrcPaths.under(root)))).isEqualTo(KATA_GPU_EXTENSION);
    }

    @Test
    void theHandWrittenJsonIsJacksonsForAnyTextEmptyEditsAndLargeNumbers() {
        String odd = "q\"b\\s/\n\r\t\b\f\u0001\u001f\u007f é ☃ \ud83d\ude00";
        ContainerEdits nodes = new ContainerEdits(List.of("A=" + odd), List.of(
                new DeviceNode("/dev/" + odd, "/h" + odd, 4294967295L, Long.MAX_VALUE, 07777, "rwm", 4294967295L),
                new DeviceNode("/dev/z", null, 0L, 1L, 0, null, 44L)),
                List.of(new Hook("createContainer", "/h", List.of(odd, ""), List.of())),
                List.of(new Mount("/a", "/b", List.of())));
        CdiSpec spec = new CdiSpec("0.7.0", "example.com/x", List.of(new CdiDevice("d" + odd, NONE),
                new CdiDevice("e", nodes)), NONE);
        assertThat(CdiSpecGenerator.toJson(spec)).isEqualTo(SharedCdi.dataBound(spec)).contains("{ }", "\\u0001");
        CdiSpec noDevices = new CdiSpec("0.3.0", "example.com/x", List.of(), nodes);
        assertThat(CdiSpecGenerator.toJson(noDevices)).isEqualTo(SharedCdi.dataBound(noDevices));
    }
}
