/** The boot report: what the init did, when and for how long, and how it ended. */
package dev.nvrc.core.report;
