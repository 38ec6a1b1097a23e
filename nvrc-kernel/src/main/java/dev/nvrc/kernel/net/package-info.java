/** Network interfaces: the {@link dev.nvrc.core.port.Network} adapter (loopback up with SIOCSIFFLAGS). */
package dev.nvrc.kernel.net;
