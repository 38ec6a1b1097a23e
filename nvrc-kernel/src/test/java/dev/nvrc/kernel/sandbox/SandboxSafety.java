package dev.nvrc.kernel.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The safety rule of the sandbox (notes/vm-testing.md): it must be entered from an unprivileged
 * host uid. A user namespace created by host root maps {@code 0 0 1}, and kernel.* sysctl checks
 * compare against the global root, so a scenario running there could write global sysctls.
 */
public final class SandboxSafety {
    private SandboxSafety() {}

    /** True when the first mapping of {@code uidMap} (/proc/self/uid_map) maps some uid to host root. */
    public static boolean enteredFromHostRoot(String uidMap) {
        for (String line : uidMap.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                long outside = Long.parseLong(f[1]);
                long count = Long.parseLong(f[2]);
                if (outside == 0 && count > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads this process's uid_map; unreadable counts as unsafe. */
    public static boolean enteredFromHostRoot(Path uidMapFile) {
        try {
            return enteredFromHostRoot(Files.readString(uidMapFile));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The real uid of this process, from /proc/self/status. */
    public static long realUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no Uid line in /proc/self/status");
    }

    /** The uid of {@code user} from /etc/passwd, or -1 when there is no such user. */
    public static long uidOf(String user) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f.length > 2 && f[0].equals(user)) {
                return Long.parseLong(f[2]);
            }
        }
        return -1;
    }
}
