/**
 * Test support shared by the modules: in-memory fakes of every core port ({@link dev.nvrc.testkit.FakePorts}),
 * sysfs fixture trees ({@link dev.nvrc.testkit.SysfsFixture}), golden files ({@link dev.nvrc.testkit.GoldenFile})
 * and the simulated NVIDIA toolset ({@link dev.nvrc.testkit.SimulatedTools}, see the module's README).
 * Never shipped in the boot image.
 */
package dev.nvrc.testkit;
