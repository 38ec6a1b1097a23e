package dev.nvrc.launcher.boot;

import dev.nvrc.core.port.InitControl;
import dev.nvrc.core.port.Mounts;
import dev.nvrc.core.port.Network;
import dev.nvrc.core.port.Ports;
import dev.nvrc.core.port.ProcessRunner;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.port.SyslogSink;
import java.lang.reflect.Proxy;

/** Ports for computing a plan: any use is a bug, so every method throws. */
final class PlanOnlyPorts {
    private PlanOnlyPorts() {}

    static Ports create() {
        return new Ports(refuse(Mounts.class), refuse(Network.class), refuse(Sysctl.class),
                refuse(ProcessRunner.class), refuse(SyslogSink.class), refuse(InitControl.class));
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
