/**
 * Reading the files nvrc looks at, safely: a size bound, regular files only, and failure reasons
 * a person can read ({@link dev.nvrc.core.io.BoundedFile}, {@link dev.nvrc.core.io.IoReason}).
 *
 * <p>The files come from a guest's kernel (sysfs, procfs), from an image, or, for the command-line
 * tool, from a directory a user names: a FIFO there would block a plain read forever, and
 * {@code /dev/zero} or a huge file would exhaust the heap.
 */
package dev.nvrc.core.io;
