/**
 * Test support shared by the modules: in-memory fakes of every core port ({@link dev.nvrc.testkit.FakePorts})
 * and sysfs fixture trees ({@link dev.nvrc.testkit.SysfsFixture}). Never shipped in the boot image.
 */
package dev.nvrc.testkit;
