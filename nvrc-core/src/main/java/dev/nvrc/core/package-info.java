/**
 * The pure heart of nvrc: configuration, topology, the boot plan and the ports through which
 * every other module reaches the machine.
 *
 * <p>Nothing in this module makes a system call beyond reading files, loads native code or
 * configures a logging back-end, so all of it runs in plain unit tests.
 */
package dev.nvrc.core;
