package dev.nvrc.kernel.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where kernel log records go: the kmsg device once it can be opened, the console (stderr) until
 * then or if it cannot be.
 *
 * <p>Before /dev is mounted there is no /dev/kmsg; every write tries again until it exists. A
 * kmsg that exists but cannot be opened (a sandbox without access to the host's) is given up for
 * good. Each record is one write(2): the kernel takes one write as one record.
 */
final class KmsgOutput {
    private final Path kmsg;
    private final PrintStream console;
    private FileOutputStream out;
    private boolean unusable;

    /** Writes to {@code kmsg} when possible ({@code null}: console only), else to {@code console}. */
    KmsgOutput(Path kmsg, PrintStream console) {
        this.kmsg = kmsg;
        this.console = console;
        this.unusable = kmsg == null;
    }

    /** The kmsg path, or null when this output is console only. */
    Path kmsg() {
        return kmsg;
    }

    /** True while records go to the kmsg device. */
    synchronized boolean writesKmsg() {
        return open();
    }

    synchronized void write(List<byte[]> records) {
        for (byte[] record : records) {
            if (open()) {
                try {
                    out.write(record);
                    continue;
                } catch (IOException e) {
                    // A rejected record (EINVAL, ENOSPC) falls through to the console.
                }
            }
            toConsole(record);
        }
    }

    synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to tell
            }
            out = null;
        }
        unusable = true;
    }

    private boolean open() {
        if (out != null) {
            return true;
        }
        if (unusable || !Files.exists(kmsg)) {
            return false;
        }
        try {
            out = new FileOutputStream(kmsg.toFile(), true);
            return true;
        } catch (IOException e) {
            unusable = true;
            console.println("nvrc: cannot open " + kmsg + " (" + e.getMessage() + "), logging to the console");
            return false;
        }
    }

    /** The console shows the record without its {@code <PRI>}. */
    private void toConsole(byte[] record) {
        String s = new String(record, StandardCharsets.UTF_8);
        int close = s.indexOf('>');
        console.print(s.startsWith("<") && close > 0 ? s.substring(close + 1) : s);
        console.flush();
    }
}
