package dev.nvrc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchTest {
    @Test
    void everySpellingOfAnArchitectureNamesIt() {
        assertThat(Arch.of("x86_64")).contains(Arch.X86_64);
        assertThat(Arch.of("amd64")).contains(Arch.X86_64);
        assertThat(Arch.of("aarch64")).contains(Arch.AARCH64);
        assertThat(Arch.of(" ARM64 ")).contains(Arch.AARCH64);
        assertThat(Arch.of("ppc64le")).isEmpty();
        assertThat(Arch.of("")).isEmpty();
        assertThat(Arch.of(null)).isEmpty();
    }

    @Test
    void theNamesOfEachArchitecture() {
        assertThat(Arch.AARCH64.triplet()).isEqualTo("aarch64-linux-gnu");
        assertThat(Arch.AARCH64.debian()).isEqualTo("arm64");
        assertThat(Arch.AARCH64.jffiDir()).isEqualTo("jni/aarch64-Linux");
        assertThat(Arch.AARCH64.libraryDirs()).containsExactly("/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu");
        assertThat(Arch.X86_64.triplet()).isEqualTo("x86_64-linux-gnu");
        assertThat(Arch.X86_64.debian()).isEqualTo("amd64");
        assertThat(Arch.X86_64.jffiDir()).isEqualTo("jni/x86_64-Linux");
        assertThat(Arch.X86_64).hasToString("x86_64");
        assertThat(Arch.names()).isEqualTo("x86_64, aarch64");
    }

    @Test
    void theRunningJvmsArchitectureComesFromOsArch() {
        assertThat(Arch.current()).isEqualTo(Arch.of(System.getProperty("os.arch")).orElseThrow());
        assertThat(Arch.ofJvm("aarch64")).isEqualTo(Arch.AARCH64);
        assertThat(Arch.ofJvm("amd64")).isEqualTo(Arch.X86_64);
        assertThatThrownBy(() -> Arch.ofJvm("riscv64")).isInstanceOf(IllegalStateException.class)
                .hasMessage("unsupported architecture: os.arch=riscv64 (nvrc runs on x86_64, aarch64)");
    }
}
