/** Device nodes made by nvrc itself with mknod(2): the adapter behind core's {@code DeviceNodes} port. */
package dev.nvrc.kernel.devnode;
