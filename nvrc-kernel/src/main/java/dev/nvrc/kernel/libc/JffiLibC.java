package dev.nvrc.kernel.libc;

import com.kenai.jffi.ArrayFlags;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LibC} on jffi, the native call layer jnr-ffi itself is built on: each method looks its
 * symbol up once (on first use), describes its C signature as a jffi {@link Function} that saves
 * errno, and calls it with the arguments in a {@link HeapInvocationBuffer}.
 *
 * <p>Why not jnr-ffi's {@code LibraryLoader} over the annotated interface: creating that binding is
 * the boot's first native call, and under an emulated CPU it cost most of a second, about 580
 * classes loaded (type mappers, reflection-based invokers, a dynamic proxy per annotation type)
 * before {@code mount /proc} could run (docs/performance.md, "What the boot loads outside the
 * archive"). This class needs jffi's few classes and nothing generated at run time.
 *
 * <p>Arrays are copied to native memory for the call and back after it, as jnr-ffi did: in only
 * for {@code @In} parameters of {@link LibC}, out only for {@code @Out} ones, both where the
 * interface says both. Strings go in as NUL-terminated UTF-8; a null string or array is NULL.
 */
final class JffiLibC implements LibC {
    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final int IN = ArrayFlags.IN;
    private static final int OUT = ArrayFlags.OUT;
    private static final int IN_OUT = ArrayFlags.IN | ArrayFlags.OUT;
    private static final Type INT = Type.SINT;
    private static final Type LONG = Type.SLONG;
    private static final Type PTR = Type.POINTER;

    private final Library libc;
    private final Map<String, Function> functions = new ConcurrentHashMap<>();

    /**
     * The process's libc, as the dynamic loader already has it.
     *
     * @throws UnsatisfiedLinkError when jffi's native library or libc cannot be loaded
     */
    JffiLibC() {
        Library library = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.GLOBAL);
        if (library == null) {
            throw new UnsatisfiedLinkError("cannot open libc.so.6: " + Library.getLastError());
        }
        this.libc = library;
    }

    /** A function of {@code fixed} named parameters followed by variadic ones, if any. */
    private Function function(String name, int fixed, Type result, Type... parameters) {
        Function f = functions.get(name);
        if (f != null) {
            return f;
        }
        long address = libc.getSymbolAddress(name);
        if (address == 0) {
            throw new UnsatisfiedLinkError("libc has no " + name + ": " + Library.getLastError());
        }
        f = new Function(address, result, fixed, parameters, CallingConvention.DEFAULT, true);
        Function raced = functions.putIfAbsent(name, f);
        return raced != null ? raced : f;
    }

    private Function function(String name, Type result, Type... parameters) {
        return function(name, parameters.length, result, parameters);
    }

    /** A function of int parameters only ({@code fixed} of them named) returning an int. */
    private int intCall(String name, int fixed, int... args) {
        Type[] types = new Type[args.length];
        Arrays.fill(types, INT);
        Function f = function(name, fixed, INT, types);
        HeapInvocationBuffer b = call(f);
        for (int a : args) {
            b.putInt(a);
        }
        return INVOKER.invokeInt(f, b);
    }

    private static HeapInvocationBuffer call(Function f) {
        return new HeapInvocationBuffer(f);
    }

    private static void string(HeapInvocationBuffer b, String s) {
        if (s == null) {
            b.putAddress(0L);
            return;
        }
        byte[] bytes = cString(s);
        b.putArray(bytes, 0, bytes.length, IN);
    }

    private static void array(HeapInvocationBuffer b, byte[] a, int flags) {
        if (a == null) {
            b.putAddress(0L);
        } else {
            b.putArray(a, 0, a.length, flags);
        }
    }

    private static void array(HeapInvocationBuffer b, int[] a, int flags) {
        if (a == null) {
            b.putAddress(0L);
        } else {
            b.putArray(a, 0, a.length, flags);
        }
    }

    private static void array(HeapInvocationBuffer b, long[] a, int flags) {
        if (a == null) {
            b.putAddress(0L);
        } else {
            b.putArray(a, 0, a.length, flags);
        }
    }

    private static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(utf8, utf8.length + 1);
    }

    /**
     * A NULL-terminated {@code char *[]} in native memory for {@code strings} (whose null elements
     * become NULL); free it with {@link StringVector#close()}.
     */
    private static final class StringVector implements AutoCloseable {
        private final long[] blocks;
        final long address;

        StringVector(String[] strings) {
            int n = strings == null ? 0 : strings.length;
            blocks = new long[n + 1];
            long vector = MEMORY.allocateMemory((long) (n + 1) * Long.BYTES, true);
            if (vector == 0) {
                throw new OutOfMemoryError("malloc of an argument vector failed");
            }
            blocks[n] = vector;
            address = vector;
            for (int i = 0; i < n; i++) {
                if (strings[i] == null) {
                    continue;
                }
                byte[] c = cString(strings[i]);
                long block = MEMORY.allocateMemory(c.length, false);
                if (block == 0) {
                    close();
                    throw new OutOfMemoryError("malloc of an argument string failed");
                }
                MEMORY.putByteArray(block, c, 0, c.length);
                blocks[i] = block;
                MEMORY.putAddress(vector + (long) i * Long.BYTES, block);
            }
        }

        @Override
        public void close() {
            for (long block : blocks) {
                if (block != 0) {
                    MEMORY.freeMemory(block);
                }
            }
        }
    }

    @Override
    public int mount(String source, String target, String fsType, long flags, String data) {
        Function f = function("mount", INT, PTR, PTR, PTR, Type.ULONG, PTR);
        HeapInvocationBuffer b = call(f);
        string(b, source);
        string(b, target);
        string(b, fsType);
        b.putLong(flags);
        string(b, data);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int mknod(String path, int mode, long dev) {
        Function f = function("mknod", INT, PTR, Type.UINT, Type.ULONG);
        HeapInvocationBuffer b = call(f);
        string(b, path);
        b.putInt(mode);
        b.putLong(dev);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int umount2(String target, int flags) {
        Function f = function("umount2", INT, PTR, INT);
        HeapInvocationBuffer b = call(f);
        string(b, target);
        b.putInt(flags);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return intCall("socket", 3, domain, type, protocol);
    }

    @Override
    public int ioctl(int fd, long request, byte[] argument) {
        Function f = function("ioctl", 2, INT, INT, Type.ULONG, PTR);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        b.putLong(request);
        array(b, argument, IN_OUT);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int fcntl(int fd, int cmd, int argument) {
        return intCall("fcntl", 2, fd, cmd, argument);
    }

    @Override
    public int close(int fd) {
        return intCall("close", 1, fd);
    }

    @Override
    public int pipe2(int[] fds, int flags) {
        Function f = function("pipe2", INT, PTR, INT);
        HeapInvocationBuffer b = call(f);
        array(b, fds, OUT);
        b.putInt(flags);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int setrlimit(int resource, long[] limit) {
        return rlimitCall("setrlimit", resource, limit, IN);
    }

    @Override
    public int getrlimit(int resource, long[] limit) {
        return rlimitCall("getrlimit", resource, limit, OUT);
    }

    /** {@code set}/{@code getrlimit}: the same signature, the limit read or written. */
    private int rlimitCall(String name, int resource, long[] limit, int direction) {
        Function f = function(name, INT, INT, PTR);
        HeapInvocationBuffer b = call(f);
        b.putInt(resource);
        array(b, limit, direction);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int pthread_sigmask(int how, byte[] set, byte[] old) {
        Function f = function("pthread_sigmask", INT, INT, PTR, PTR);
        HeapInvocationBuffer b = call(f);
        b.putInt(how);
        array(b, set, IN);
        array(b, old, OUT);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public long recv(int fd, byte[] buffer, long length, int flags) {
        Function f = function("recv", LONG, INT, PTR, Type.ULONG, INT);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        array(b, buffer, OUT);
        b.putLong(length);
        b.putInt(flags);
        return INVOKER.invokeLong(f, b);
    }

    @Override
    public int recvmmsg(int fd, long messages, int count, int flags, long timeout) {
        Function f = function("recvmmsg", INT, INT, PTR, Type.UINT, INT, PTR);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        b.putAddress(messages);
        b.putInt(count);
        b.putInt(flags);
        b.putAddress(timeout);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public long malloc(long size) {
        return MEMORY.allocateMemory(size, false);
    }

    @Override
    public void free(long address) {
        MEMORY.freeMemory(address);
    }

    @Override
    public int bind(int fd, byte[] address, int addressLength) {
        return socketAddressCall("bind", fd, address, addressLength);
    }

    @Override
    public int connect(int fd, byte[] address, int addressLength) {
        return socketAddressCall("connect", fd, address, addressLength);
    }

    private int socketAddressCall(String name, int fd, byte[] address, int addressLength) {
        Function f = function(name, INT, INT, PTR, Type.UINT);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        array(b, address, IN);
        b.putInt(addressLength);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int setsockopt(int fd, int level, int option, int[] value, int valueLength) {
        Function f = function("setsockopt", INT, INT, INT, INT, PTR, Type.UINT);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        b.putInt(level);
        b.putInt(option);
        array(b, value, IN);
        b.putInt(valueLength);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength) {
        Function f = function("sendto", LONG, INT, PTR, Type.ULONG, INT, PTR, Type.UINT);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        array(b, buffer, IN);
        b.putLong(length);
        b.putInt(flags);
        array(b, address, IN);
        b.putInt(addressLength);
        return INVOKER.invokeLong(f, b);
    }

    @Override
    public int open(String path, int flags, int mode) {
        Function f = function("open", 2, INT, PTR, INT, Type.UINT);
        HeapInvocationBuffer b = call(f);
        string(b, path);
        b.putInt(flags);
        b.putInt(mode);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public long read(int fd, byte[] buffer, long length) {
        Function f = function("read", LONG, INT, PTR, Type.ULONG);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        array(b, buffer, OUT);
        b.putLong(length);
        return INVOKER.invokeLong(f, b);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        Function f = function("lseek", LONG, INT, LONG, INT);
        HeapInvocationBuffer b = call(f);
        b.putInt(fd);
        b.putLong(offset);
        b.putInt(whence);
        return INVOKER.invokeLong(f, b);
    }

    @Override
    public int getpid() {
        return intCall("getpid", 0);
    }

    @Override
    public int kill(int pid, int signal) {
        return intCall("kill", 2, pid, signal);
    }

    @Override
    public int waitpid(int pid, int[] status, int options) {
        Function f = function("waitpid", INT, INT, PTR, INT);
        HeapInvocationBuffer b = call(f);
        b.putInt(pid);
        array(b, status, OUT);
        b.putInt(options);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int execve(String path, String[] argv, String[] envp) {
        Function f = function("execve", INT, PTR, PTR, PTR);
        try (StringVector args = new StringVector(argv); StringVector env = new StringVector(envp)) {
            HeapInvocationBuffer b = call(f);
            string(b, path);
            b.putAddress(args.address);
            b.putAddress(env.address);
            return INVOKER.invokeInt(f, b);
        }
    }

    @Override
    public int posix_spawn_file_actions_init(byte[] actions) {
        return objectCall("posix_spawn_file_actions_init", actions);
    }

    @Override
    public int posix_spawn_file_actions_addopen(byte[] actions, int fd, String path, int flags, int mode) {
        Function f = function("posix_spawn_file_actions_addopen", INT, PTR, INT, PTR, INT, Type.UINT);
        HeapInvocationBuffer b = call(f);
        array(b, actions, IN_OUT);
        b.putInt(fd);
        string(b, path);
        b.putInt(flags);
        b.putInt(mode);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int posix_spawn_file_actions_adddup2(byte[] actions, int fd, int newFd) {
        Function f = function("posix_spawn_file_actions_adddup2", INT, PTR, INT, INT);
        HeapInvocationBuffer b = call(f);
        array(b, actions, IN_OUT);
        b.putInt(fd);
        b.putInt(newFd);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int posix_spawn_file_actions_addclose(byte[] actions, int fd) {
        Function f = function("posix_spawn_file_actions_addclose", INT, PTR, INT);
        HeapInvocationBuffer b = call(f);
        array(b, actions, IN_OUT);
        b.putInt(fd);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int posix_spawn_file_actions_destroy(byte[] actions) {
        return objectCall("posix_spawn_file_actions_destroy", actions);
    }

    @Override
    public int posix_spawnattr_init(byte[] attributes) {
        return objectCall("posix_spawnattr_init", attributes);
    }

    @Override
    public int posix_spawnattr_setflags(byte[] attributes, short flags) {
        Function f = function("posix_spawnattr_setflags", INT, PTR, Type.SSHORT);
        HeapInvocationBuffer b = call(f);
        array(b, attributes, IN_OUT);
        b.putShort(flags);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int posix_spawnattr_setsigmask(byte[] attributes, byte[] mask) {
        Function f = function("posix_spawnattr_setsigmask", INT, PTR, PTR);
        HeapInvocationBuffer b = call(f);
        array(b, attributes, IN_OUT);
        array(b, mask, IN);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int posix_spawnattr_destroy(byte[] attributes) {
        return objectCall("posix_spawnattr_destroy", attributes);
    }

    /** A posix_spawn object function of one argument, the object, read and written. */
    private int objectCall(String name, byte[] object) {
        Function f = function(name, INT, PTR);
        HeapInvocationBuffer b = call(f);
        array(b, object, IN_OUT);
        return INVOKER.invokeInt(f, b);
    }

    @Override
    public int posix_spawnp(int[] pid, String file, byte[] actions, byte[] attributes, String[] argv, String[] envp) {
        Function f = function("posix_spawnp", INT, PTR, PTR, PTR, PTR, PTR, PTR);
        try (StringVector args = new StringVector(argv); StringVector env = new StringVector(envp)) {
            HeapInvocationBuffer b = call(f);
            array(b, pid, OUT);
            string(b, file);
            array(b, actions, IN);
            array(b, attributes, IN);
            b.putAddress(args.address);
            b.putAddress(env.address);
            return INVOKER.invokeInt(f, b);
        }
    }

    @Override
    public void sync() {
        Function f = function("sync", Type.VOID);
        INVOKER.invokeInt(f, call(f));
    }

    @Override
    public int reboot(int cmd) {
        return intCall("reboot", 1, cmd);
    }
}
