package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    record Result(int status, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("check-cmdline", "version", "cdi --root");
    }

    @Test
    void verifyImageIsNotInTheBootImageAndSaysWhereItIs() {
        Result r = run("verify-image", "/nonexistent");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("java -jar nvrc-imagetools/target/nvrc-imagetools.jar verify-image DIR [SBOM]");
        assertThat(run("--help").out()).contains("nvrc-imagetools.jar verify-image DIR [SBOM]");
    }

    @Test
    void noOrUnknownCommandIsAUsageError() {
        assertThat(run().status()).isEqualTo(2);
        Result r = run("frobnicate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("nvrc: unknown command 'frobnicate'");
    }

    @Test
    void versionPrintsVersionAndHash() {
        Result r = run("version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).matches("nvrc version=\\S+ sha256=([0-9a-f]{64}|none)\\n");
    }

    @Test
    void sha256OfAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x");
        Files.writeString(f, "abc");
        assertThat(dev.nvrc.launcher.boot.NvrcIdentity.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(dev.nvrc.launcher.boot.NvrcIdentity.sha256(dir)).isEqualTo("none");
    }

    @Test
    void validLinePrintsEveryParameterTyped() throws Exception {
        Result r = run("check-cmdline", "console=ttyS0 nvrc.smi.lgc=1500 nvrc.dcgm=on nvrc.mode=gpu");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("nvrc.mode").asText()).isEqualTo("gpu");
        assertThat(json.get("nvrc.smi.lgc").isInt()).isTrue();
        assertThat(json.get("nvrc.smi.lgc").asInt()).isEqualTo(1500);
        assertThat(json.get("nvrc.dcgm").isBoolean()).isTrue();
        assertThat(json.get("nvrc.smi.pl").isNull()).isTrue();
        assertThat(json.get("nvrc.log").asText()).isEqualTo("off");
        assertThat(json.get("nvrc.timeout").asLong()).isEqualTo(300);
        assertThat(json.get("nvrc.timeout.nvidia-persistenced").asLong()).isEqualTo(600);
        assertThat(json.get("nvrc.modules").isArray()).isTrue();
        assertThat(json.get("nvrc.modules")).isEmpty();
        assertThat(json.get("nvrc.timeout.nv-hostengine").asLong()).isEqualTo(300);
        assertThat(json.size()).isEqualTo(18);
    }

    @Test
    void detectedModeIsNull() throws Exception {
        JsonNode json = new ObjectMapper().readTree(run("check-cmdline", "").out());
        assertThat(json.get("nvrc.mode").isNull()).isTrue();
    }

    @Test
    void invalidLinePrintsEveryProblemOnStderr() {
        Result r = run("check-cmdline", "nvrc.smi.lcg=1 nvrc.log=loud");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(2).allMatch(l -> l.startsWith("nvrc: "));
        assertThat(r.err()).contains("did you mean nvrc.smi.lgc?");
    }

    @Test
    void readsAFileSuchAsProcCmdline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cmdline");
        Files.writeString(f, "BOOT_IMAGE=/vmlinuz nvrc.mode=cpu\n");
        Result r = run("check-cmdline", "--file", f.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("\"nvrc.mode\" : \"cpu\"");
        Result missing = run("check-cmdline", "--file", dir.resolve("nope").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("nvrc: cannot read " + dir.resolve("nope") + ": no such file or directory\n");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoGivenAsTheFileIsExitStatus2NotAHang(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("cmdline");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        Result r = run("check-cmdline", "--file", fifo.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nvrc: cannot read " + fifo + ": a FIFO, not a regular file\n");
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void devZeroAndHugeFilesAreExitStatus2NotOutOfMemory(@TempDir Path dir) throws Exception {
        Result zero = run("check-cmdline", "--file", "/dev/zero");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("nvrc: cannot read /dev/zero: a character device, not a regular file\n");
        Path huge = dir.resolve("huge");
        try (var ch = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), (1L << 30) - 1); // sparse 1 GiB
        }
        Result big = run("check-cmdline", "--file", huge.toString());
        assertThat(big.status()).isEqualTo(2);
        assertThat(big.err()).isEqualTo("nvrc: cannot read " + huge + ": larger than 1048576 bytes\n");
    }

    @Test
    void badUsage() {
        assertThat(run("check-cmdline").status()).isEqualTo(2);
        assertThat(run("check-cmdline", "--file").err()).startsWith("nvrc: usage: check-cmdline");
    }
}
