package dev.nvrc.launcher.boot;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running jar's sha256 ({@link NvrcIdentity}), hashed on a thread of its own from the moment
 * the boot starts. The hash is CPU work (the jar, the digest and its provider's classes) that no
 * step before {@code cmdline} needs, so on the guest's second vCPU it leaves the boot's critical
 * path: about a tenth of a second under TCG (docs/performance.md, the serialhash lever).
 */
final class BackgroundJarHash {
    /** Reading a 90 kB local file cannot take this long; if it does, the boot says so and stops. */
    private static final long LIMIT_SECONDS = 60;

    private final FutureTask<String> task;

    private BackgroundJarHash(Callable<String> hashing) {
        this.task = new FutureTask<>(hashing);
    }

    /** Starts hashing the running jar on a daemon thread. */
    static BackgroundJarHash start() {
        return start(() -> NvrcIdentity.running().sha256());
    }

    /** Starts {@code hashing} on a daemon thread. */
    static BackgroundJarHash start(Callable<String> hashing) {
        BackgroundJarHash hash = new BackgroundJarHash(hashing);
        Thread thread = new Thread(hash.task, "nvrc-jar-hash");
        thread.setDaemon(true);
        thread.start();
        return hash;
    }

    /** The hash, waiting for it if it is not done yet. */
    String get() throws IOException {
        try {
            return task.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("hashing the jar failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IOException("hashing the jar took over " + LIMIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing the jar", e);
        }
    }
}
