package dev.nvrc.plan;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.DeviceNodes;
import dev.nvrc.core.port.InitControl;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Mounts;
import dev.nvrc.core.port.Network;
import dev.nvrc.core.port.Ports;
import dev.nvrc.core.port.ProcessRunner;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.port.SyslogSink;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

/** A machine for computing a plan: any use of a port, the log or the syslog socket is a bug, so every method throws. */
final class PlanOnlyPorts {
    private PlanOnlyPorts() {}

    static Ports create() {
        return new Ports(refuse(Mounts.class), refuse(Network.class), refuse(Sysctl.class),
                refuse(ProcessRunner.class), refuse(SyslogSink.class), refuse(InitControl.class),
                refuse(DeviceNodes.class));
    }

    /** The machine under {@code paths} as a plan sees it: files are read, nothing is done. */
    static BootMachine machine(NvrcPaths paths, List<MountRequest> mounts) {
        return new BootMachine(paths, create(), refuse(BootLog.class), () -> 0, Map.of(),
                mounts, handler -> refuse(Runnable.class).run(), refuse(Runnable.class), refuse(BootMachine.Identity.class));
    }

    private static <T> T refuse(Class<T> port) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "plan-only " + port.getSimpleName() : null;
            }
            throw new IllegalStateException("computing a plan must not use " + port.getSimpleName() + "." + method.getName());
        }));
    }
}
