package dev.nvrc.core.extension;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * {@code gpu extension ld.so.cache}: a loader cache that also holds the extension's libraries,
 * bound over {@code /etc/ld.so.cache}, so that kata-agent and the CDI hooks it runs find the GPU
 * libraries without an inherited {@code LD_LIBRARY_PATH}. The base root becomes read-only, so
 * the configuration and the cache are written to {@code /run}.
 */
public final class LoaderCacheStep implements Step {
    static final String NAME = "gpu extension ld.so.cache";
    static final String LDCONFIG = "/sbin/ldconfig";
    static final String CONF = "/run/ld.so.conf";
    static final String CACHE = "/run/ld.so.cache";
    static final String SYSTEM_CACHE = "/etc/ld.so.cache";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String libraryDir;

    public LoaderCacheStep(GuestLayout layout) {
        this.libraryDir = layout.libraryDir()
                .orElseThrow(() -> new IllegalArgumentException("no gpu extension in " + layout));
    }

    /** Our {@code -f} replaces the base configuration, so it includes the base's directory first. */
    String conf() {
        return "include /etc/ld.so.conf.d/*.conf\n" + libraryDir + "\n";
    }

    /** {@code -X}: leave the read-only directory's links alone; {@code -f}, {@code -C}: our files in /run. */
    static List<String> argv() {
        return List.of(LDCONFIG, "-X", "-f", CONF, "-C", CACHE);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(NAME, argv())
                .with("writes", CONF)
                .with("conf", conf().strip().replace("\n", "; "))
                .with("bind", CACHE + " -> " + SYSTEM_CACHE)
                .with("timeout_s", TIMEOUT.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        try {
            Files.writeString(context.paths().resolve(CONF), conf(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BootFailure("cannot write " + CONF + ": " + e, e);
        }
        context.ports().processes().run(Command.of("ldconfig", argv()), TIMEOUT);
        context.ports().mounts().mount(BindMount.of(context.paths(), CACHE, SYSTEM_CACHE));
    }
}
