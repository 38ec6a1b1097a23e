package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundJarHashTest {
    @Test
    void theHashIsMadeOnItsOwnThreadAndWaitedFor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String[] thread = new String[1];
        BackgroundJarHash hash = BackgroundJarHash.start(() -> {
            thread[0] = Thread.currentThread().getName();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            return "ab12";
        });
        // The caller goes on while the hash runs; get() then waits for it.
        release.countDown();
        assertThat(hash.get()).isEqualTo("ab12");
        assertThat(thread[0]).isEqualTo("nvrc-jar-hash");
    }

    @Test
    void theRunningJarsHashIsTheOneVersionPrints() throws Exception {
        assertThat(BackgroundJarHash.start().get()).isEqualTo(NvrcIdentity.running().sha256());
    }

    @Test
    void aFailureReachesTheStepThatNeedsTheHash() {
        assertThatThrownBy(() -> BackgroundJarHash.start(() -> {
            throw new IOException("nvrc.jar: Input/output error");
        }).get()).isInstanceOf(IOException.class).hasMessage("nvrc.jar: Input/output error");
        assertThatThrownBy(() -> BackgroundJarHash.start(() -> {
            throw new IllegalStateException("no SHA-256");
        }).get()).isInstanceOf(IOException.class).hasMessageContaining("no SHA-256");
    }
}
