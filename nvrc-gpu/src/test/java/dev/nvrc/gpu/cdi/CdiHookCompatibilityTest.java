package dev.nvrc.gpu.cdi;

import static dev.nvrc.gpu.cdi.CdiFixture.Machines.UUID_0;
import static dev.nvrc.gpu.cdi.CdiFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spec names only the {@code nvidia-cdi-hook} subcommands the program in the image has: the
 * program's toolkit release is read from its Go build information ({@link CdiHookVersion}), and a
 * program of an unknown release gets the two subcommands every release has.
 */
class CdiHookCompatibilityTest {
    @TempDir
    Path root;

    private CdiFixture machine() {
        return CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0).dri("0000:41:00.0", 1, 128)
                .node("/dev/nvidiactl").libraries(VERSION, List.of("libcuda", "libnvidia-ml"))
                .driverFile(CdiFixture.LIB_DIR + "/vdpau/libvdpau_nvidia.so." + VERSION, "VDPAU");
    }

    private List<String> subcommands(CdiFixture fixture) throws BootFailure {
        NvrcPaths paths = fixture.build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));
        assertThat(SharedCdi.schemaErrors(CdiSpecGenerator.toJson(spec))).isEmpty();
        return Stream.concat(spec.containerEdits().hooks().stream(),
                        spec.device("0").orElseThrow().containerEdits().hooks().stream())
                .map(h -> h.args().get(1)).distinct().toList();
    }

    static Stream<Arguments> generations() {
        return Stream.of(
                Arguments.of("1.16.2", List.of("create-symlinks", "update-ldcache")),
                Arguments.of("1.17.4", List.of("create-symlinks", "update-ldcache")),
                Arguments.of("1.17.8", List.of("create-symlinks", "enable-cuda-compat", "update-ldcache")),
                Arguments.of("1.19.1", List.of("create-symlinks", "enable-cuda-compat", "update-ldcache",
                        "disable-device-node-modification")),
                Arguments.of("1.20.0-rc.1", List.of("create-symlinks", "enable-cuda-compat", "update-ldcache",
                        "disable-device-node-modification", "update-application-profile")),
                Arguments.of("1.20.0", List.of("create-symlinks", "enable-cuda-compat", "update-ldcache",
                        "disable-device-node-modification", "update-application-profile")),
                Arguments.of("2.0.0", List.of("create-symlinks", "enable-cuda-compat", "update-ldcache",
                        "disable-device-node-modification", "update-application-profile")));
    }

    @ParameterizedTest
    @MethodSource("generations")
    void theSpecNamesOnlyTheSubcommandsOfTheHooksRelease(String release, List<String> expected) throws Exception {
        assertThat(subcommands(machine().cdiHook("/usr/bin/nvidia-cdi-hook", FakeCdiHook.release(release))))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void theVdpauFolderIsInUpdateLdcacheOnlyWhenItHoldsADriverLibrary() throws Exception {
        NvrcPaths paths = machine().cdiHook().build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));
        assertThat(spec.containerEdits().hooks()).filteredOn(h -> h.args().get(1).equals("update-ldcache"))
                .extracting(Hook::args).containsExactly(List.of("nvidia-cdi-hook", "update-ldcache",
                        "--folder", CdiFixture.LIB_DIR, "--folder", CdiFixture.LIB_DIR + "/vdpau"));
    }

    @Test
    void aProgramOfUnknownReleaseGetsTheSubcommandsEveryReleaseHas() throws Exception {
        for (byte[] program : List.of("#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII),
                FakeCdiHook.withoutVersion(), FakeCdiHook.preGo118(), new byte[0])) {
            Path dir = Files.createTempDirectory(root, "m");
            CdiFixture f = CdiFixture.at(dir).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0)
                    .node("/dev/nvidiactl").libraries(VERSION, List.of("libcuda"))
                    .cdiHook("/usr/bin/nvidia-cdi-hook", program);
            NvrcPaths paths = f.build();
            CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));
            assertThat(spec.containerEdits().hooks()).extracting(h -> h.args().get(1))
                    .containsExactly("create-symlinks", "update-ldcache");
        }
    }

    @Test
    void leftOutSubcommandsAreNamedWithTheReleaseThatAddedThem() throws Exception {
        Path hook = root.resolve("hook");
        Files.write(hook, FakeCdiHook.release("1.17.8"));
        CdiHooks hooks = new CdiHooks("/usr/bin/nvidia-cdi-hook", CdiHookVersion.read(hook));
        assertThat(hooks.leftOut()).containsExactly(
                "disable-device-node-modification (added in nvidia-container-toolkit v1.18.0; /usr/bin/nvidia-cdi-hook is v1.17.8)",
                "update-application-profile (added in nvidia-container-toolkit v1.20.0; /usr/bin/nvidia-cdi-hook is v1.17.8)");
        assertThat(new CdiHooks("/h", Optional.empty()).leftOut()).hasSize(3)
                .allMatch(s -> s.endsWith("/h is of an unknown release)"));
    }

    @Test
    void theReleaseIsReadFromEitherWordSizeAndByteOrder() throws Exception {
        Path hook = root.resolve("hook");
        Files.write(hook, FakeCdiHook.release32BigEndian("1.18.1"));
        assertThat(CdiHookVersion.read(hook)).contains(new CdiHookVersion(1, 18, 1));
        Files.write(hook, FakeCdiHook.elf(FakeCdiHook.buildInfo("go1.24.0", FakeCdiHook.modinfo("1.19.0"), true),
                ByteOrder.LITTLE_ENDIAN, false));
        assertThat(CdiHookVersion.read(hook)).contains(new CdiHookVersion(1, 19, 0));
    }

    @Test
    void garbageIsAnUnknownReleaseNeverAnException() throws Exception {
        Path hook = root.resolve("hook");
        Random random = new Random(29);
        byte[] good = FakeCdiHook.release("1.20.0");
        for (int i = 0; i < 2000; i++) {
            byte[] bytes;
            if (i % 3 == 0) {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                if (bytes.length > 4) {
                    bytes[0] = 0x7f;
                    bytes[1] = 'E';
                    bytes[2] = 'L';
                    bytes[3] = 'F';
                }
            } else if (i % 3 == 1) {
                // The real layout cut short anywhere.
                bytes = Arrays.copyOf(good, random.nextInt(good.length));
            } else {
                // The real layout with a few bytes changed (offsets, sizes, lengths, the text).
                bytes = good.clone();
                for (int k = 0; k < 3; k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            Files.write(hook, bytes);
            Optional<CdiHookVersion> version = CdiHookVersion.read(hook);
            assertThat(version).satisfiesAnyOf(v -> assertThat(v).isEmpty(), v -> assertThat(v.get().major()).isBetween(0, 9999));
        }
        Files.write(hook, FakeCdiHook.elf(FakeCdiHook.buildInfo("go1.23", FakeCdiHook.modinfo("one.two.three"), true),
                ByteOrder.LITTLE_ENDIAN, true));
        assertThat(CdiHookVersion.read(hook)).isEmpty();
    }

    @Test
    void versionsParseAndOrderAsReleases() {
        assertThat(CdiHookVersion.parse("v1.17.5")).contains(CdiHookVersion.V1_17_5);
        assertThat(CdiHookVersion.parse("1.20.0-rc.1")).contains(CdiHookVersion.V1_20_0);
        assertThat(CdiHookVersion.parse("1.20")).isEmpty();
        assertThat(CdiHookVersion.parse("NVIDIA CDI Hook version 1.20.0")).isEmpty();
        assertThat(new CdiHookVersion(1, 9, 0)).isLessThan(CdiHookVersion.V1_16_0);
        assertThat(CdiHookVersion.V1_18_0.atLeast(CdiHookVersion.V1_17_5)).isTrue();
        assertThat(CdiHookVersion.V1_17_5.atLeast(CdiHookVersion.V1_18_0)).isFalse();
        assertThat(CdiHookVersion.V1_20_0).hasToString("1.20.0");
    }

    @Test
    void anUnreadableHookIsAFailureNamingIt() throws Exception {
        CdiFixture f = machine().cdiHook();
        NvrcPaths paths = f.build();
        Path hook = f.resolve("/usr/bin/nvidia-cdi-hook");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("--x--x--x"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(hook),
                "root reads a file without read permission: the failure cannot be made here");
        assertThatThrownBy(() -> CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths))))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("cannot read /usr/bin/nvidia-cdi-hook to learn which hooks it has: ");
    }
}
