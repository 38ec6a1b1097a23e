/*
 * nvsim: stand-ins for the NVIDIA tools nvrc runs, for tests only (never shipped).
 *
 * One static multi-call program; the tool is the basename of argv[0] (or argv[1] when called as
 * "nvsim"). Every tool appends "NVSIM <tool> <args...>" to a log and to /dev/kmsg (or stderr),
 * then behaves like the real tool as far as nvrc can tell: foreground tools exit 0, daemons log
 * through syslog(3)-style datagrams to /dev/log, send their readiness marker and keep running.
 * Failures are simulated on request. Settings come from nvsim.* tokens of /proc/cmdline,
 * overridden by a key=value file named by $NVSIM_CONF. See ../../../README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

/* One syslog(3)-style datagram "<30>tool[pid]: text" (daemon.info); stderr when there is no socket. */
static void say(const char *tool, const char *text)
{
    char msg[1024];
    int n = snprintf(msg, sizeof msg, "<30>%s[%d]: %s", tool, (int)getpid(), text);
    if (n >= (int)sizeof msg) {
        n = (int)sizeof msg - 1;
    }
    /* A blocking send, like syslog(3): a slow reader slows the daemon down, as on a real system. */
    if (syslog_fd >= 0 && send(syslog_fd, msg, (size_t)n, 0) == n) {
        return;
    }
    fprintf(stderr, "%s[%d]: %s\n", tool, (int)getpid(), text);
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
                          .syslog_wait_ms = 5000 };
    read_cmdline(&s);
    read_conf(&s);
    signal(SIGPIPE, SIG_IGN);

    record(&s, t->name, argc, argv);
    if (listed(s.fail, t->name)) {
        fprintf(stderr, "%s: simulated failure (nvsim.fail)\n", t->name);
        return 1;
    }
    return t->kind == DAEMON ? run_daemon(t, &s) : run_foreground(t, argc, argv, &s);
}
