/*
 * nvsim: stand-ins for the NVIDIA tools nvrc runs, for tests only (never shipped).
 *
 * One static multi-call program; the tool is the basename of argv[0] (or argv[1] when called as
 * "nvsim"). Every tool appends "NVSIM <tool> <args...>" to a log and to /dev/kmsg (or stderr),
 * then behaves like the real tool as far as nvrc can tell: foreground tools exit 0, daemons log
 * through syslog(3)-style datagrams to /dev/log, send their readiness marker and keep running.
 * The four NVIDIA daemons behave like NVIDIA's programs (docs/gpu-mode.md, docs/fabric.md):
 * nvidia-persistenced always forks; nv-hostengine forks twice unless -n and signals its first
 * parent on failure too; dcgm-exporter connects to a hostengine with -r and refuses to be a second
 * DCGM beside one without it; nv-fabricmanager reads the config it is given and honours its keys
 * and the NVLink generation. Failures are simulated on request. Settings come from nvsim.* tokens of /proc/cmdline,
 * overridden by a key=value file named by $NVSIM_CONF. See ../../../README.md.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum kind { FOREGROUND, DAEMON };

struct tool {
    const char *name;
    enum kind kind;
    const char *marker;             /* readiness marker, NULL when the real daemon has none */
    const char *const *lines;       /* what the daemon logs on the way up, before the marker */
};

static const char *const persistenced_lines[] = {
    "Verbose syslog connection opened",
    "Directory /var/run/nvidia-persistenced will not be removed on exit",
    "device registered",
    NULL,
};
static const char *const fabricmanager_lines[] = {
    "Connected to 1 node.",
    "Successfully configured all the available NVSwitches to route GPU NVLink traffic.",
    NULL,
};
static const char *const hostengine_lines[] = {
    "Started host engine version 4.0.0 using port number: 5555",
    NULL,
};
static const char *const exporter_lines[] = {
    "Starting dcgm-exporter",
    "Starting webserver",
    NULL,
};
static const char *const nvlsm_lines[] = {
    "NVLSM starting",
    "Entering MASTER state",
    NULL,
};
static const char *const no_lines[] = { NULL };

static const struct tool tools[] = {
    { "modprobe", FOREGROUND, NULL, no_lines },
    { "nvidia-smi", FOREGROUND, NULL, no_lines },
    { "nvidia-ctk", FOREGROUND, NULL, no_lines },
    { "nvidia-persistenced", DAEMON, "Local RPC services initialized", persistenced_lines },
    { "nv-hostengine", DAEMON, NULL, hostengine_lines },
    { "dcgm-exporter", DAEMON, NULL, exporter_lines },
    { "nv-fabricmanager", DAEMON, "FM starting NvLink Inband", fabricmanager_lines },
    { "nvlsm", DAEMON, NULL, nvlsm_lines },
};

#define LIST_MAX 1024

struct settings {
    char log[PATH_MAX];         /* argv log; "off" disables */
    char kmsg[PATH_MAX];        /* where the NVSIM line also goes; "off" means stderr */
    char syslog[sizeof(((struct sockaddr_un *)0)->sun_path)];  /* "off": daemon lines to stderr */
    char fail[LIST_MAX];        /* tools that exit 1 with a message */
    char hang[LIST_MAX];        /* tools that never finish / never send their marker */
    char crash[LIST_MAX];       /* tools that exit 2 after one line */
    char detach[LIST_MAX];      /* daemons that fork and whose parent exits 0 once ready */
    char real_modules[LIST_MAX];/* modules "modprobe" hands to the real (busybox) modprobe */
    char die[LIST_MAX];         /* daemons that exit 1 die_ms after they said they are ready */
    char root[PATH_MAX];        /* prefix of every file a daemon reads or writes (host tests); "" in a VM */
    long die_ms;                /* see die */
    long dcgm_port;             /* host tests: the port standing in for DCGM's 5555 (listen and -r ...:5555) */
    long fm_nvlink;             /* the NVLink generation Fabric Manager finds: 3, 4, 5; 0: 5 with -g, else 4 */
    long chatter;               /* lines a daemon logs before its marker */
    long delay_ms;              /* a daemon's pause before the marker */
    long syslog_wait_ms;        /* how long to retry while /dev/log is not there yet */
};

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static long number(const char *key, const char *value, long fallback)
{
    char *end;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || n < 0) {
        fprintf(stderr, "nvsim: %s=%s is not a non-negative number, keeping %ld\n", key, value, fallback);
        return fallback;
    }
    return n;
}

static void set(struct settings *s, const char *key, const char *value)
{
    if (strncmp(key, "nvsim.", 6) == 0) {
        key += 6;
    }
    if (strcmp(key, "log") == 0) {
        copy(s->log, sizeof s->log, value);
    } else if (strcmp(key, "kmsg") == 0) {
        copy(s->kmsg, sizeof s->kmsg, value);
    } else if (strcmp(key, "syslog") == 0) {
        copy(s->syslog, sizeof s->syslog, value);
    } else if (strcmp(key, "fail") == 0) {
        copy(s->fail, sizeof s->fail, value);
    } else if (strcmp(key, "hang") == 0) {
        copy(s->hang, sizeof s->hang, value);
    } else if (strcmp(key, "crash") == 0) {
        copy(s->crash, sizeof s->crash, value);
    } else if (strcmp(key, "real_modules") == 0) {
        copy(s->real_modules, sizeof s->real_modules, value);
    } else if (strcmp(key, "detach") == 0) {
        copy(s->detach, sizeof s->detach, value);
    } else if (strcmp(key, "die") == 0) {
        copy(s->die, sizeof s->die, value);
    } else if (strcmp(key, "root") == 0) {
        copy(s->root, sizeof s->root, value);
    } else if (strcmp(key, "die_ms") == 0) {
        s->die_ms = number(key, value, s->die_ms);
    } else if (strcmp(key, "dcgm_port") == 0) {
        s->dcgm_port = number(key, value, s->dcgm_port);
    } else if (strcmp(key, "fm_nvlink") == 0) {
        s->fm_nvlink = number(key, value, s->fm_nvlink);
    } else if (strcmp(key, "chatter") == 0) {
        s->chatter = number(key, value, s->chatter);
    } else if (strcmp(key, "delay_ms") == 0) {
        s->delay_ms = number(key, value, s->delay_ms);
    } else if (strcmp(key, "syslog_wait_ms") == 0) {
        s->syslog_wait_ms = number(key, value, s->syslog_wait_ms);
    } else {
        fprintf(stderr, "nvsim: unknown setting '%s' ignored\n", key);
    }
}

/* Applies "key=value"; the text is modified in place. */
static void apply(struct settings *s, char *pair)
{
    char *eq = strchr(pair, '=');
    if (eq == NULL) {
        return;
    }
    *eq = '\0';
    set(s, pair, eq + 1);
}

static char *trim(char *text)
{
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r' || text[n - 1] == '\n')) {
        text[--n] = '\0';
    }
    return text;
}

/* The kernel command line's nvsim.* tokens: what the VM tests use (the init passes no env through). */
static void read_cmdline(struct settings *s)
{
    const char *path = getenv("NVSIM_CMDLINE");
    FILE *f = fopen(path != NULL ? path : "/proc/cmdline", "re");
    if (f == NULL) {
        return;
    }
    static char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    for (char *save = NULL, *token = strtok_r(text, " \t\n", &save); token != NULL;
         token = strtok_r(NULL, " \t\n", &save)) {
        if (strncmp(token, "nvsim.", 6) == 0) {
            apply(s, token);
        }
    }
}

/* $NVSIM_CONF: key=value lines (with or without the nvsim. prefix), '#' comments. */
static void read_conf(struct settings *s)
{
    const char *path = getenv("NVSIM_CONF");
    if (path == NULL || *path == '\0') {
        return;
    }
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        fprintf(stderr, "nvsim: cannot read NVSIM_CONF %s: %s\n", path, strerror(errno));
        return;
    }
    char line[PATH_MAX + 64];
    while (fgets(line, sizeof line, f) != NULL) {
        char *t = trim(line);
        if (*t == '\0' || *t == '#') {
            continue;
        }
        char *eq = strchr(t, '=');
        if (eq == NULL) {
            continue;
        }
        *eq = '\0';
        set(s, trim(t), trim(eq + 1));
    }
    fclose(f);
}

/* True when the comma-separated list names the tool, or is "all". */
static int listed(const char *list, const char *tool)
{
    size_t len = strlen(tool);
    for (const char *p = list; *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if ((n == len && strncmp(p, tool, n) == 0) || (n == 3 && strncmp(p, "all", 3) == 0)) {
            return 1;
        }
        if (end == NULL) {
            break;
        }
        p = end + 1;
    }
    return 0;
}

/* True when the comma-separated list names item exactly (no "all": each real module is named). */
static int named(const char *list, const char *item)
{
    size_t len = strlen(item);
    for (const char *p = list; *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, item, n) == 0) {
            return 1;
        }
        if (end == NULL) {
            break;
        }
        p = end + 1;
    }
    return 0;
}

/*
 * modprobe of a module listed in real_modules is not simulated: it is handed to busybox's
 * modprobe, which loads the real module of the guest kernel (the VM initramfs carries a few).
 * Only where PID 1 is nvrc's JVM (comm "nvrc"), i.e. in a test VM: never on a build host.
 */
static void real_modprobe(int argc, char **argv, const struct settings *s)
{
    const char *module = argc > 1 ? argv[argc - 1] : "";
    if (*s->real_modules == '\0' || !named(s->real_modules, module)) {
        return;
    }
    char comm[32] = "";
    FILE *f = fopen("/proc/1/comm", "re");
    if (f != NULL) {
        if (fgets(comm, sizeof comm, f) == NULL) {
            comm[0] = '\0';
        }
        fclose(f);
    }
    comm[strcspn(comm, "\n")] = '\0';
    if (strcmp(comm, "nvrc") != 0) {
        fprintf(stderr, "modprobe (nvsim): real_modules only in a test VM whose PID 1 is nvrc, not '%s'\n", comm);
        exit(1);
    }
    char *args[64];
    int n = 0;
    args[n++] = "modprobe";
    for (int i = 1; i < argc && n < 63; i++) {
        args[n++] = argv[i];
    }
    args[n] = NULL;
    execv("/bin/busybox", args);
    fprintf(stderr, "modprobe (nvsim): execv /bin/busybox: %s\n", strerror(errno));
    exit(127);
}

static int enabled(const char *path)
{
    return *path != '\0' && strcmp(path, "off") != 0;
}

static void write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        text += n;
        len -= (size_t)n;
    }
}

/* "NVSIM <tool> <args...>" to the log (one write, so concurrent tools do not interleave) and kmsg. */
static void record(const struct settings *s, const char *tool, int argc, char **argv)
{
    static char line[16384];
    size_t len = (size_t)snprintf(line, sizeof line, "NVSIM %s", tool);
    for (int i = 1; i < argc && len < sizeof line; i++) {
        len += (size_t)snprintf(line + len, sizeof line - len, " %s", argv[i]);
    }
    if (len >= sizeof line - 1) {
        len = sizeof line - 2;
    }
    line[len++] = '\n';
    line[len] = '\0';

    if (enabled(s->log)) {
        int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            write_all(fd, line, len);
            close(fd);
        } else {
            fprintf(stderr, "nvsim: cannot append to %s: %s\n", s->log, strerror(errno));
        }
    }
    int kmsg = enabled(s->kmsg) ? open(s->kmsg, O_WRONLY | O_CLOEXEC) : -1;
    if (kmsg >= 0) {
        write_all(kmsg, line, len);
        close(kmsg);
    } else {
        write_all(STDERR_FILENO, line, len);
    }
}

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) < 0 && errno == EINTR) {
    }
}

static int syslog_fd = -1;

/* Connects to the syslog socket, waiting a little for an init that binds it late. */
static void syslog_connect(const struct settings *s)
{
    if (!enabled(s->syslog)) {
        return;
    }
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    copy(addr.sun_path, sizeof addr.sun_path, s->syslog);
    for (long waited = 0;; waited += 50) {
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
            syslog_fd = fd;
            return;
        }
        int err = errno;
        if (fd >= 0) {
            close(fd);
        }
        if ((err != ENOENT && err != ECONNREFUSED) || waited >= s->syslog_wait_ms) {
            fprintf(stderr, "nvsim: cannot connect to %s: %s; logging to stderr\n", s->syslog, strerror(err));
            return;
        }
        sleep_ms(50);
    }
}

/* Syslog priorities of facility daemon (3 << 3): what openlog(..., LOG_DAEMON) sends. */
#define DAEMON_ERR 27
#define DAEMON_WARNING 28
#define DAEMON_NOTICE 29
#define DAEMON_INFO 30

/*
 * One syslog(3)-style datagram "<pri>ident[pid]: text", or "<pri>ident: text" when the program
 * opened its log without LOG_PID (nvidia-persistenced); stderr when there is no socket.
 */
static void say_as(const char *ident, int with_pid, int pri, const char *text)
{
    char msg[1024];
    int n = with_pid ? snprintf(msg, sizeof msg, "<%d>%s[%d]: %s", pri, ident, (int)getpid(), text)
                     : snprintf(msg, sizeof msg, "<%d>%s: %s", pri, ident, text);
    if (n >= (int)sizeof msg) {
        n = (int)sizeof msg - 1;
    }
    /* A blocking send, like syslog(3): a slow reader slows the daemon down, as on a real system. */
    if (syslog_fd >= 0 && send(syslog_fd, msg, (size_t)n, 0) == n) {
        return;
    }
    fprintf(stderr, "%s[%d]: %s\n", ident, (int)getpid(), text);
}

/* "<30>tool[pid]: text" (daemon.info): the generic simulated daemon. */
static void say(const char *tool, const char *text)
{
    say_as(tool, 1, DAEMON_INFO, text);
}

static void forever(void)
{
    for (;;) {
        pause();
    }
}

/* Forks like nvidia-persistenced: the parent exits 0 once the child reports readiness, else 1. */
static int detach(void)
{
    int fds[2];
    if (pipe(fds) < 0) {
        perror("nvsim: pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("nvsim: fork");
        exit(1);
    }
    if (pid > 0) {
        close(fds[1]);
        char ok = 0;
        ssize_t n;
        do {
            n = read(fds[0], &ok, 1);
        } while (n < 0 && errno == EINTR);
        exit(n == 1 && ok == '1' ? 0 : 1);
    }
    close(fds[0]);
    setsid();
    return fds[1];
}

/*
 * When the marker left, on CLOCK_MONOTONIC (the clock of the kernel log and of nvrc's boot report),
 * so a benchmark can tell how long the init took to see it. The time is taken just before the
 * marker is sent: taken after, it missed the send itself, and an init whose reader woke on the
 * other CPU during it was seen "before" the marker left. Kernel log only, at level 3 so that it
 * reaches a "quiet" console; the argv log stays exactly the calls.
 */
static void note_marker_sent(const char *tool, const struct settings *s, const struct timespec *sent)
{
    const struct timespec now = *sent;
    char note[192];
    int n = snprintf(note, sizeof note, "<3>NVSIM %s marker-sent uptime_us=%lld\n", tool,
                     (long long)now.tv_sec * 1000000LL + now.tv_nsec / 1000);
    int fd = enabled(s->kmsg) ? open(s->kmsg, O_WRONLY | O_CLOEXEC) : -1;
    if (fd >= 0 && n > 0) {
        write_all(fd, note, (size_t)n);
    }
    if (fd >= 0) {
        close(fd);
    }
}

static int run_daemon(const struct tool *t, const struct settings *s)
{
    int ready_fd = listed(s->detach, t->name) ? detach() : -1;
    char line[256];

    syslog_connect(s);
    snprintf(line, sizeof line, "started (pid %d)", (int)getpid());
    say(t->name, line);
    if (listed(s->crash, t->name)) {
        say(t->name, "simulated crash before readiness (nvsim.crash)");
        fprintf(stderr, "%s: simulated crash before readiness (nvsim.crash)\n", t->name);
        exit(2);
    }
    sleep_ms(s->delay_ms);
    for (long i = 1; i <= s->chatter; i++) {
        snprintf(line, sizeof line, "chatter line %ld of %ld", i, s->chatter);
        say(t->name, line);
    }
    for (const char *const *l = t->lines; *l != NULL; l++) {
        say(t->name, *l);
    }
    if (t->marker != NULL && !listed(s->hang, t->name)) {
        struct timespec sent;
        clock_gettime(CLOCK_MONOTONIC, &sent);
        say(t->name, t->marker);
        note_marker_sent(t->name, s, &sent);
    }
    if (ready_fd >= 0 && !listed(s->hang, t->name)) {
        write_all(ready_fd, "1", 1);
        close(ready_fd);
    }
    forever();
    return 0;
}

static int mkdir_parents(char *path)
{
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            int rc = mkdir(path, 0755);
            *p = '/';
            if (rc < 0 && errno != EEXIST) {
                return -1;
            }
        }
    }
    return 0;
}

/* nvidia-ctk cdi generate --output=<path>: a small but well-formed spec, so consumers find a file. */
static int ctk(int argc, char **argv)
{
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--output=", 9) == 0) {
            out = argv[i] + 9;
        } else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) {
            out = argv[++i];
        }
    }
    if (out == NULL) {
        return 0;
    }
    char path[PATH_MAX];
    copy(path, sizeof path, out);
    FILE *f = mkdir_parents(path) == 0 ? fopen(path, "we") : NULL;
    if (f == NULL) {
        fprintf(stderr, "nvidia-ctk: cannot write %s: %s\n", out, strerror(errno));
        return 1;
    }
    fputs("# written by nvsim (simulated nvidia-ctk)\n"
          "cdiVersion: 0.5.0\n"
          "kind: nvidia.com/gpu\n"
          "devices:\n"
          "- name: all\n"
          "  containerEdits:\n"
          "    deviceNodes:\n"
          "    - path: /dev/nvidiactl\n"
          "containerEdits: {}\n", f);
    return fclose(f) == 0 ? 0 : 1;
}

/* ---- the NVIDIA daemons, as NVIDIA's programs behave (sources cited in docs/gpu-mode.md, docs/fabric.md) ---- */

#define HOSTENGINE_VERSION "4.6.0"

/* The value after option `name` (also "--name=value"), or NULL. */
static const char *option(int argc, char **argv, const char *shortname, const char *longname)
{
    size_t len = longname != NULL ? strlen(longname) : 0;
    for (int i = 1; i < argc; i++) {
        if (((shortname != NULL && strcmp(argv[i], shortname) == 0) || (longname != NULL && strcmp(argv[i], longname) == 0))
            && i + 1 < argc) {
            return argv[i + 1];
        }
        if (longname != NULL && strncmp(argv[i], longname, len) == 0 && argv[i][len] == '=') {
            return argv[i] + len + 1;
        }
    }
    return NULL;
}

static int flag(int argc, char **argv, const char *shortname, const char *longname)
{
    for (int i = 1; i < argc; i++) {
        if ((shortname != NULL && strcmp(argv[i], shortname) == 0) || (longname != NULL && strcmp(argv[i], longname) == 0)) {
            return 1;
        }
    }
    return 0;
}

/* A guest path under the root files are read and written at (the test's directory on a host). */
static const char *rooted(const struct settings *s, const char *path, char *out, size_t size)
{
    int n = snprintf(out, size, "%s%s", s->root, path);
    if (n < 0 || (size_t)n >= size) {
        out[0] = '\0'; /* too long: names no file, so the open fails with ENOENT */
    }
    return out;
}

/* Writes "pid\n" to the (rooted) file, creating its directory; 0 or -1 with errno. */
static int write_pid_file(const struct settings *s, const char *path)
{
    char file[PATH_MAX];
    rooted(s, path, file, sizeof file);
    if (mkdir_parents(file) < 0) {
        return -1;
    }
    FILE *f = fopen(file, "we");
    if (f == NULL) {
        return -1;
    }
    fprintf(f, "%d\n", (int)getpid());
    return fclose(f);
}

/* After it said it is ready: exit 1 after die_ms when the daemon is listed in nvsim.die. */
static void maybe_die(const char *tool, const char *ident, int with_pid, const struct settings *s)
{
    if (!listed(s->die, tool)) {
        return;
    }
    sleep_ms(s->die_ms);
    say_as(ident, with_pid, DAEMON_ERR, "simulated death after readiness (nvsim.die)");
    exit(1);
}

static void send_marker(const char *tool, const char *ident, int with_pid, int pri, const char *text,
                        const struct settings *s)
{
    struct timespec sent;
    clock_gettime(CLOCK_MONOTONIC, &sent);
    say_as(ident, with_pid, pri, text);
    note_marker_sent(tool, s, &sent);
}

/*
 * nvidia-persistenced: always forks (it has no foreground option). The parent waits on a pipe and
 * exits 0 when the child reports readiness, else prints that it failed and exits 1. The child
 * starts a session, closes its stdio and logs to syslog only, as "nvidia-persistenced" without a
 * pid, at facility daemon; it writes its pid file before it reports readiness, and logs the
 * readiness line only with --verbose. With nvsim.syslog=off (host tests, no syslog at all) the
 * child keeps stderr, the only place its lines can then go.
 */
static int run_persistenced(int argc, char **argv, const struct settings *s)
{
    static const char *const ident = "nvidia-persistenced";
    int verbose = flag(argc, argv, NULL, "--verbose");
    int fds[2];
    if (pipe(fds) < 0) {
        fprintf(stderr, "Failed to create init pipe: %s\n", strerror(errno));
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "Failed to fork() daemon: %s", strerror(errno));
        return 1;
    }
    if (pid > 0) {
        close(fds[1]);
        unsigned char ok = 0;
        ssize_t n;
        do {
            n = read(fds[0], &ok, 1);
        } while (n < 0 && errno == EINTR);
        if (n != 1 || !ok) {
            fprintf(stderr, "nvidia-persistenced failed to initialize. Check syslog for more details.\n");
            return 1;
        }
        return 0;
    }
    close(fds[0]);
    setsid();
    if (enabled(s->syslog)) {
        close(STDIN_FILENO);
        close(STDOUT_FILENO);
        close(STDERR_FILENO);
    }
    syslog_connect(s);
    char line[PATH_MAX + 64];
    if (verbose) {
        say_as(ident, 0, DAEMON_INFO, "Verbose syslog connection opened");
    }
    char dir[PATH_MAX];
    rooted(s, "/var/run/nvidia-persistenced", dir, sizeof dir);
    if (mkdir(dir, 0755) < 0 && verbose) {
        say_as(ident, 0, DAEMON_INFO, "Directory /var/run/nvidia-persistenced will not be removed on exit");
    }
    if (write_pid_file(s, "/var/run/nvidia-persistenced/nvidia-persistenced.pid") < 0) {
        snprintf(line, sizeof line, "Failed to open PID file: %s", strerror(errno));
        say_as(ident, 0, DAEMON_ERR, line);
        return 1;
    }
    snprintf(line, sizeof line, "Started (%d)", (int)getpid());
    say_as(ident, 0, DAEMON_NOTICE, line);
    if (listed(s->crash, "nvidia-persistenced")) {
        say_as(ident, 0, DAEMON_ERR, "simulated crash before readiness (nvsim.crash)");
        return 2;
    }
    sleep_ms(s->delay_ms);
    for (long i = 1; i <= s->chatter; i++) {
        snprintf(line, sizeof line, "chatter line %ld of %ld", i, s->chatter);
        say_as(ident, 0, DAEMON_INFO, line);
    }
    if (verbose) {
        say_as(ident, 0, DAEMON_INFO, "device 0000:00:00.0 - registered");
    }
    if (listed(s->hang, "nvidia-persistenced")) {
        forever();
    }
    if (verbose) {
        send_marker("nvidia-persistenced", ident, 0, DAEMON_INFO, "Local RPC services initialized", s);
    }
    unsigned char ok = 1;
    write_all(fds[1], (const char *)&ok, 1);
    close(fds[1]);
    maybe_die("nvidia-persistenced", ident, 0, s);
    forever();
    return 0;
}

/* A TCP socket listening on 127.0.0.1:port, or -1. */
static int listen_loopback(long port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 16) < 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* A TCP connection to host:port (host "localhost" or a dotted IPv4 address; port 5555 is dcgm_port), or -1. */
static int connect_tcp(const char *hostport, const struct settings *s)
{
    char host[64];
    const char *colon = strrchr(hostport, ':');
    if (colon == NULL || (size_t)(colon - hostport) >= sizeof host) {
        errno = EINVAL;
        return -1;
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    long port = atol(colon + 1);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)(port == 5555 ? s->dcgm_port : port)) };
    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &addr.sin_addr) != 1) {
        errno = EINVAL;
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        return fd;
    }
    int err = errno;
    if (fd >= 0) {
        close(fd);
    }
    errno = err;
    return -1;
}

/*
 * nv-hostengine. Without -n it daemonizes as DCGM's does: the first process blocks SIGUSR1 and
 * waits up to 120 s for it (exit 0 when it comes, 1 otherwise); the child starts a session and
 * forks again (that parent exits 0); the daemon logs as "nvhostengine_daemon[pid]". It signals
 * the first process once it serves AND when it fails (then it exits 255), so exit 0 of the
 * process started says nothing. It writes its pid file (--pid, default /var/run/nvhostengine.pid)
 * when it daemonizes, and its log (--log-filename, default /var/log/nv-hostengine.log): an
 * unwritable log stops it. With -n it stays in the foreground and prints its readiness line on
 * stdout. It listens on 127.0.0.1:<-p, 5555>.
 */
static int run_hostengine(int argc, char **argv, const struct settings *s)
{
    int daemonize = !flag(argc, argv, "-n", "--no-daemon");
    const char *pid_file = option(argc, argv, NULL, "--pid");
    const char *log_file = option(argc, argv, "-f", "--log-filename");
    const char *port_arg = option(argc, argv, "-p", "--port");
    long port = port_arg != NULL ? atol(port_arg) : s->dcgm_port;
    pid_t first_parent = getpid();
    const char *ident = "nv-hostengine";
    int with_pid = 0;
    if (pid_file == NULL) {
        pid_file = "/var/run/nvhostengine.pid";
    }
    if (log_file == NULL) {
        log_file = "/var/log/nv-hostengine.log";
    }
    if (daemonize) {
        sigset_t usr1;
        sigemptyset(&usr1);
        sigaddset(&usr1, SIGUSR1);
        sigprocmask(SIG_BLOCK, &usr1, NULL);
        pid_t pid = fork();
        if (pid < 0) {
            return 1;
        }
        if (pid > 0) {
            struct timespec limit = { 120, 0 };
            siginfo_t info;
            if (sigtimedwait(&usr1, &info, &limit) < 0) {
                printf("Got error %d while waiting for SIGUSR1 from child process.\n", errno);
                return 1;
            }
            return 0;
        }
        if (setsid() < 0) {
            return 1;
        }
        pid = fork();
        if (pid < 0) {
            return 1;
        }
        if (pid > 0) {
            return 0;
        }
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
        }
        ident = "nvhostengine_daemon";
        with_pid = 1;
    }
    syslog_connect(s);
    char line[PATH_MAX + 128];
    if (daemonize) {
        say_as(ident, with_pid, DAEMON_NOTICE, "nv-hostengine version " HOSTENGINE_VERSION " daemon started");
    }
    int failed = 0;
    char path[PATH_MAX];
    FILE *log = fopen(rooted(s, log_file, path, sizeof path), "ae");
    if (listed(s->crash, "nv-hostengine")) {
        say_as(ident, with_pid, DAEMON_NOTICE, "Error: DCGM engine failed to initialize");
        failed = 1;
    } else if (log == NULL) {
        snprintf(line, sizeof line, "cannot open the log file %s: %s", log_file, strerror(errno));
        say_as(ident, with_pid, DAEMON_ERR, line);
        say_as(ident, with_pid, DAEMON_NOTICE, "Error: DCGM failed to start embedded engine");
        failed = 1;
    }
    if (!failed) {
        say_as(ident, with_pid, DAEMON_NOTICE, "DCGM initialized");
        if (log != NULL) {
            fprintf(log, "DCGM initialized\n");
            fflush(log);
        }
        sleep_ms(s->delay_ms);
        if (listed(s->hang, "nv-hostengine")) {
            forever();
        }
        if (listen_loopback(port) < 0) {
            printf("Err: Failed to start DCGM Server: %d\n", -1);
            say_as(ident, with_pid, DAEMON_NOTICE, "Err: Failed to start DCGM Server");
            failed = 1;
        }
    }
    if (failed) {
        fflush(stdout);
        if (daemonize) {
            kill(first_parent, SIGUSR1); /* on failure too: the first parent then exits 0 */
        }
        return 255;
    }
    struct timespec sent;
    clock_gettime(CLOCK_MONOTONIC, &sent);
    printf("Started host engine version " HOSTENGINE_VERSION " using port number: %ld\n", port);
    fflush(stdout);
    note_marker_sent("nv-hostengine", s, &sent);
    if (daemonize) {
        if (write_pid_file(s, pid_file) < 0) {
            printf("Host engine failed to write to pid file %s\n", pid_file);
            fflush(stdout);
            kill(first_parent, SIGUSR1);
            return 1;
        }
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        kill(first_parent, SIGUSR1);
    }
    maybe_die("nv-hostengine", ident, with_pid, s);
    forever();
    return 0;
}

/*
 * dcgm-exporter. With -r HOST:PORT it connects to that hostengine and exits 1 when it cannot;
 * without -r it starts an embedded DCGM, which beside a hostengine (something on 127.0.0.1:5555)
 * is a second DCGM instance on the same GPUs: refused here, exit 1. Its counters file (-f) must
 * exist.
 */
static int run_exporter(int argc, char **argv, const struct settings *s)
{
    static const char *const ident = "dcgm-exporter";
    const char *remote = option(argc, argv, "-r", "--remote-hostengine-info");
    const char *counters = option(argc, argv, "-f", "--collectors");
    char line[PATH_MAX + 256];
    char path[PATH_MAX];
    syslog_connect(s);
    say(ident, "Starting dcgm-exporter");
    if (listed(s->crash, "dcgm-exporter")) {
        say(ident, "simulated crash before readiness (nvsim.crash)");
        fprintf(stderr, "dcgm-exporter: simulated crash before readiness (nvsim.crash)\n");
        return 2;
    }
    if (counters != NULL && access(rooted(s, counters, path, sizeof path), R_OK) != 0) {
        snprintf(line, sizeof line, "cannot read the counters file %s: %s", counters, strerror(errno));
        say(ident, line);
        fprintf(stderr, "dcgm-exporter: %s\n", line);
        return 1;
    }
    int connection;
    if (remote != NULL) {
        snprintf(line, sizeof line, "Attempting to connect to remote hostengine at %s", remote);
        say(ident, line);
        connection = connect_tcp(remote, s);
        if (connection < 0) {
            snprintf(line, sizeof line, "Failed to connect to remote hostengine at %s: %s", remote, strerror(errno));
            say(ident, line);
            fprintf(stderr, "dcgm-exporter: %s\n", line);
            return 1;
        }
        say(ident, "Connected to remote hostengine");
    } else {
        say(ident, "Attempting to initialize DCGM.");
        connection = connect_tcp("127.0.0.1:5555", s);
        if (connection >= 0) {
            say(ident, "a second DCGM instance: nv-hostengine already manages these GPUs on 127.0.0.1:5555;"
                       " connect to it with -r (nvsim refuses an embedded DCGM beside it)");
            fprintf(stderr, "dcgm-exporter: embedded DCGM beside a running nv-hostengine\n");
            return 1;
        }
    }
    say(ident, "Starting webserver");
    forever();
    return 0;
}

/* One KEY=VALUE of a Fabric Manager config: the last assignment wins, as for the shell-like format. */
struct fm_config {
    long log_level;
    long use_syslog;
    long daemonize;
    long fabric_mode;
    char log_file[PATH_MAX];
    char state_file[PATH_MAX];
    char topology[PATH_MAX];
    char database[PATH_MAX];
    char rail_policy[64];
};

static void fm_read(FILE *f, struct fm_config *c)
{
    char line[PATH_MAX + 64];
    while (fgets(line, sizeof line, f) != NULL) {
        char *t = trim(line);
        char *eq = strchr(t, '=');
        if (*t == '#' || eq == NULL) {
            continue;
        }
        *eq = '\0';
        char *key = trim(t);
        char *value = trim(eq + 1);
        if (strcmp(key, "LOG_LEVEL") == 0) {
            c->log_level = atol(value);
        } else if (strcmp(key, "LOG_USE_SYSLOG") == 0) {
            c->use_syslog = atol(value);
        } else if (strcmp(key, "DAEMONIZE") == 0) {
            c->daemonize = atol(value);
        } else if (strcmp(key, "FABRIC_MODE") == 0) {
            c->fabric_mode = atol(value);
        } else if (strcmp(key, "LOG_FILE_NAME") == 0) {
            copy(c->log_file, sizeof c->log_file, value);
        } else if (strcmp(key, "STATE_FILE_NAME") == 0) {
            copy(c->state_file, sizeof c->state_file, value);
        } else if (strcmp(key, "TOPOLOGY_FILE_PATH") == 0) {
            copy(c->topology, sizeof c->topology, value);
        } else if (strcmp(key, "DATABASE_PATH") == 0) {
            copy(c->database, sizeof c->database, value);
        } else if (strcmp(key, "PARTITION_RAIL_POLICY") == 0) {
            copy(c->rail_policy, sizeof c->rail_policy, value);
        }
    }
}

/* Fabric Manager's levels: 1 CRITICAL, 2 ERROR, 3 WARNING, 4 INFO; a line is logged when its level <= LOG_LEVEL. */
static struct fm_config fm;
static const struct settings *fm_settings;

static void fm_log(int level, const char *text)
{
    if (level > fm.log_level) {
        return;
    }
    static const char *const names[] = { "", "CRITICAL", "ERROR", "WARNING", "INFO" };
    if (fm.use_syslog) {
        say_as("nv-fabricmanager", 1, level <= 2 ? DAEMON_ERR : level == 3 ? DAEMON_WARNING : DAEMON_INFO, text);
        return;
    }
    char path[PATH_MAX];
    FILE *f = fopen(rooted(fm_settings, fm.log_file, path, sizeof path), "ae");
    if (f == NULL) {
        fprintf(stderr, "[%s] %s\n", names[level], text); /* the shipped config: stderr when the file can't be opened */
        return;
    }
    fprintf(f, "[%s] [tid %d] %s\n", names[level], (int)getpid(), text);
    fclose(f);
}

/*
 * nv-fabricmanager -c FILE [-g GUID]: reads the config it is given and honours LOG_LEVEL (the
 * readiness lines are INFO, 4), LOG_USE_SYSLOG (0: its log file, LOG_FILE_NAME), DAEMONIZE (1:
 * forks, the parent exits 0 once ready), STATE_FILE_NAME (written with FABRIC_MODE=1, must be
 * writable), TOPOLOGY_FILE_PATH and DATABASE_PATH (must be directories) and warns about
 * PARTITION_RAIL_POLICY without FABRIC_MODE=1. NVLink 3 (A100) has no in-band probing: no
 * "FM starting NvLink Inband" line there.
 */
static int run_fabricmanager(int argc, char **argv, const struct settings *s)
{
    const char *config = option(argc, argv, "-c", "--config");
    const char *guid = option(argc, argv, "-g", NULL);
    char path[PATH_MAX];
    char line[PATH_MAX + 128];
    fm = (struct fm_config){ .log_level = 4, .use_syslog = 0, .daemonize = 1, .fabric_mode = 0,
                             .log_file = "/var/log/fabricmanager.log", .state_file = "/tmp/fabricmanager.state",
                             .topology = "/usr/share/nvidia/nvswitch", .database = "/usr/share/nvidia/nvswitch" };
    fm_settings = s;
    if (config == NULL) {
        config = "/usr/share/nvidia/nvswitch/fabricmanager.cfg";
    }
    FILE *f = fopen(rooted(s, config, path, sizeof path), "re");
    if (f == NULL) {
        fprintf(stderr, "Fabric Manager failed to open config file %s: %s\n", config, strerror(errno));
        return 1;
    }
    fm_read(f, &fm);
    fclose(f);
    long nvlink = s->fm_nvlink != 0 ? s->fm_nvlink : guid != NULL ? 5 : 4;
    int ready_fd = fm.daemonize ? detach() : -1;
    if (fm.use_syslog) {
        syslog_connect(s);
    }
    if (listed(s->crash, "nv-fabricmanager")) {
        fm_log(1, "simulated crash before readiness (nvsim.crash)");
        fprintf(stderr, "nv-fabricmanager: simulated crash before readiness (nvsim.crash)\n");
        return 2;
    }
    const char *dirs[][2] = { { "TOPOLOGY_FILE_PATH", fm.topology }, { "DATABASE_PATH", fm.database } };
    for (size_t i = 0; i < 2; i++) {
        struct stat st;
        if (stat(rooted(s, dirs[i][1], path, sizeof path), &st) < 0 || !S_ISDIR(st.st_mode)) {
            snprintf(line, sizeof line, "failed to open %s %s", dirs[i][0], dirs[i][1]);
            fm_log(1, line);
            fprintf(stderr, "nv-fabricmanager: %s\n", line);
            return 1;
        }
    }
    if (fm.fabric_mode == 1) {
        FILE *state = fopen(rooted(s, fm.state_file, path, sizeof path), "we");
        if (state == NULL) {
            snprintf(line, sizeof line, "failed to open state file %s: %s", fm.state_file, strerror(errno));
            fm_log(1, line);
            fprintf(stderr, "nv-fabricmanager: %s\n", line);
            return 1;
        }
        fputs("simulated Fabric Manager state\n", state);
        fclose(state);
    } else if (fm.rail_policy[0] != '\0') {
        fm_log(3, "PARTITION_RAIL_POLICY is only used with FABRIC_MODE=1, ignoring it");
    }
    sleep_ms(s->delay_ms);
    for (long i = 1; i <= s->chatter; i++) {
        snprintf(line, sizeof line, "chatter line %ld of %ld", i, s->chatter);
        fm_log(4, line);
    }
    fm_log(4, "Connected to 1 node.");
    if (listed(s->hang, "nv-fabricmanager")) {
        forever();
    }
    if (nvlink == 3) {
        fm_log(4, "Successfully configured all the available GPUs and NVSwitches to route NVLink traffic.");
    } else {
        fm_log(4, "Successfully configured all the available NVSwitches to route GPU NVLink traffic. NVLink"
                  " Peer-to-Peer support will be enabled once the GPUs are successfully registered with the NVLink fabric.");
        struct timespec sent;
        clock_gettime(CLOCK_MONOTONIC, &sent);
        fm_log(4, "FM starting NvLink Inband");
        note_marker_sent("nv-fabricmanager", s, &sent);
    }
    if (ready_fd >= 0) {
        write_all(ready_fd, "1", 1);
        close(ready_fd);
    }
    maybe_die("nv-fabricmanager", "nv-fabricmanager", 1, s);
    forever();
    return 0;
}

static int run_foreground(const struct tool *t, int argc, char **argv, const struct settings *s)
{
    if (listed(s->crash, t->name)) {
        fprintf(stderr, "%s: simulated crash (nvsim.crash)\n", t->name);
        return 2;
    }
    if (listed(s->hang, t->name)) {
        forever();
    }
    if (strcmp(t->name, "nvidia-ctk") == 0) {
        return ctk(argc, argv);
    }
    if (strcmp(t->name, "modprobe") == 0) {
        real_modprobe(argc, argv, s);
    }
    if (strcmp(t->name, "nvidia-smi") == 0) {
        printf("nvsim: nvidia-smi");
        for (int i = 1; i < argc; i++) {
            printf(" %s", argv[i]);
        }
        printf(": done for all GPUs\n");
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *self = argc > 0 ? argv[0] : "nvsim";
    const char *slash = strrchr(self, '/');
    const char *name = slash != NULL ? slash + 1 : self;
    size_t count = sizeof tools / sizeof tools[0];

    if (strcmp(name, "nvsim") == 0) {
        if (argc > 1 && strcmp(argv[1], "--list") == 0) {
            for (size_t i = 0; i < count; i++) {
                puts(tools[i].name);
            }
            return 0;
        }
        if (argc < 2) {
            fprintf(stderr, "usage: nvsim <tool> [args...] | nvsim --list\n");
            return 64;
        }
        name = argv[1];
        argc--;
        argv++;
    }

    const struct tool *t = NULL;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(tools[i].name, name) == 0) {
            t = &tools[i];
        }
    }
    if (t == NULL) {
        fprintf(stderr, "nvsim: unknown tool '%s' (nvsim --list names them)\n", name);
        return 127;
    }

    struct settings s = { .log = "/run/nvsim.log", .kmsg = "/dev/kmsg", .syslog = "/dev/log",
                          .syslog_wait_ms = 5000, .die_ms = 300,
                          .dcgm_port = 5555 };
    read_cmdline(&s);
    read_conf(&s);
    signal(SIGPIPE, SIG_IGN);

    record(&s, t->name, argc, argv);
    if (listed(s.fail, t->name)) {
        fprintf(stderr, "%s: simulated failure (nvsim.fail)\n", t->name);
        return 1;
    }
    if (strcmp(t->name, "nvidia-persistenced") == 0) {
        return run_persistenced(argc, argv, &s);
    }
    if (strcmp(t->name, "nv-hostengine") == 0) {
        return run_hostengine(argc, argv, &s);
    }
    if (strcmp(t->name, "dcgm-exporter") == 0) {
        return run_exporter(argc, argv, &s);
    }
    if (strcmp(t->name, "nv-fabricmanager") == 0) {
        return run_fabricmanager(argc, argv, &s);
    }
    return t->kind == DAEMON ? run_daemon(t, &s) : run_foreground(t, argc, argv, &s);
}
