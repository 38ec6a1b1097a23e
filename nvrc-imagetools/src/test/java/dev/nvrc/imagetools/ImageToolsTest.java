package dev.nvrc.imagetools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageToolsTest {
    private record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImageTools.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpNamesVerifyImage() {
        assertThat(run("--help").out()).contains("verify-image DIR [SBOM]");
        assertThat(run().status()).isEqualTo(2);
        Result r = run("frobnicate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("nvrc-imagetools: unknown command 'frobnicate'");
    }

    @Test
    void verifyImageTakesTheRestOfTheLine(@TempDir Path dir) {
        assertThat(run("verify-image").status()).isEqualTo(2);
        Result r = run("verify-image", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("nvrc-verify-image: ");
    }
}
