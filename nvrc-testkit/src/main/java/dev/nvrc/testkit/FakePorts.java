package dev.nvrc.testkit;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.port.Ports;
import java.util.Set;

/** One of every fake, wired into {@link Ports}. */
public final class FakePorts {
    public final FakeMounts mounts = new FakeMounts(Set.of("proc", "sysfs", "tmpfs", "devtmpfs", "securityfs"));
    public final FakeNetwork network = new FakeNetwork();
    public final FakeSysctl sysctl = new FakeSysctl();
    public final FakeProcessRunner processes = new FakeProcessRunner();
    public final FakeSyslogSink syslog = new FakeSyslogSink();
    public final FakeInitControl init = new FakeInitControl();
    public final FakeDeviceNodes deviceNodes = new FakeDeviceNodes();

    /** The fakes as core's port bundle. */
    public Ports ports() {
        return new Ports(mounts, network, sysctl, processes, syslog, init, deviceNodes);
    }

    /** A boot context over these fakes, with fresh daemon tracking. */
    public BootContext context(Config config, NvrcPaths paths) {
        return new BootContext(config, paths, ports(), new TrackedDaemons());
    }
}
