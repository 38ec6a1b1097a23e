/*
 * A stand-in for kata-agent in the VM tests: nvrc hands PID 1 over to /usr/bin/kata-agent, and
 * this program checks what it was handed, prints one line per check and powers the VM off.
 *
 *   AGENT-START
 *   AGENT-UPTIME <s>                 /proc/uptime when it started
 *   AGENT-KERNEL-RUN-INIT <s>        when the kernel started init (its "Run ... as init process")
 *   AGENT-CHECK <name> ok|FAIL <detail>
 *   AGENT-PROC <pid> <comm> rss_kb=<n>          every user-space process
 *   AGENT-DRAINER-RSS-ANON <kB>
 *   BOOT-JSON-BEGIN ... BOOT-JSON-END          /run/nvrc/boot.json
 *   NVSIM-LOG-BEGIN ... NVSIM-LOG-END          /run/nvsim.log, the simulated tools' calls
 *   CDI-SPEC-BEGIN ... CDI-SPEC-END            the CDI spec, when there is one
 *   FM-CONFIG-BEGIN ... FM-CONFIG-END          /run/fabricmanager.cfg, when there is one
 *   AGENT-DONE passed=<n> failed=<m>
 *
 * What it expects comes from agent.* tokens on the kernel command line:
 *   agent.expect_devices=0,all   CDI device names the spec must list, exactly (none: no spec)
 *   agent.expect_daemons=a,b     processes that must run (matched on /proc/<pid>/comm)
 *   agent.expect_modules=a,b     kernel modules that must be loaded (/proc/modules; '-' reads as '_')
 *   agent.expect_attester=V      KATA_ATTESTER_VARIANT in its environment must be V (none: unset)
 *   agent.expect_ro_mount=P:T    P must be mounted read-only, nosuid, nodev, with filesystem type T
 *   agent.expect_uvm_tools=M:N   /dev/nvidia-uvm-tools must be a character device M:N, mode 0666,
 *                                and the CDI spec must list it in a deviceNodes path (absent: neither)
 *   agent.cdi_spec=PATH          the spec (default /var/run/cdi/nvidia.json)
 *   agent.drain_lines=N          datagrams sent to /dev/log to test the drainer (default 10000)
 *   agent.drain_ms=N             the time they may take (default 20000: TCG is slow)
 *
 * Static, no stdio buffering surprises: every line is one write(2) to the console.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int out = 1;
static int passed, failed;
static char cmdline[8192];

static void line(const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if (n > (int)sizeof buf - 2) {
        n = (int)sizeof buf - 2;
    }
    buf[n++] = '\n';
    if (write(out, buf, (size_t)n) < 0) {
        /* nowhere else to say it */
    }
}

static void check(const char *name, int ok, const char *fmt, ...) {
    char detail[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (ok) {
        passed++;
        line("AGENT-CHECK %s ok %s", name, detail);
    } else {
        failed++;
        line("AGENT-CHECK %s FAIL %s", name, detail);
    }
}

/* Reads a whole (small) file; returns its length or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
        if (len == size - 1) {
            break;
        }
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

static void trim(char *s) {
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) {
        s[--n] = '\0';
    }
}

/* The value of KEY=... on the kernel command line, or NULL. */
static const char *param(const char *key, char *value, size_t size) {
    size_t klen = strlen(key);
    const char *p = cmdline;
    while (*p) {
        while (*p && isspace((unsigned char)*p)) {
            p++;
        }
        const char *end = p;
        while (*end && !isspace((unsigned char)*end)) {
            end++;
        }
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t n = (size_t)(end - p) - klen - 1;
            if (n >= size) {
                n = size - 1;
            }
            memcpy(value, p + klen + 1, n);
            value[n] = '\0';
            return value;
        }
        p = end;
    }
    return NULL;
}

static void dump_file(const char *path, const char *begin, const char *end) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    line("%s %s", begin, path);
    char buf[4096];
    ssize_t n;
    int last_newline = 1;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) < 0) {
            break;
        }
        last_newline = buf[n - 1] == '\n';
    }
    close(fd);
    if (!last_newline) {
        line("");
    }
    line("%s", end);
}

static double seconds_since_boot(void) {
    char buf[128];
    return slurp("/proc/uptime", buf, sizeof buf) > 0 ? strtod(buf, NULL) : -1;
}

/* "[    2.451234] Run /init as init process" in the kernel log: when init started. */
static double kernel_run_init(void) {
    static char log[1 << 20];
    int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof log - 1);
    if (n <= 0) {
        return -1;
    }
    log[n] = '\0';
    for (char *p = strstr(log, " as init process"); p; p = strstr(p + 1, " as init process")) {
        char *start = p;
        while (start > log && start[-1] != '\n') {
            start--;
        }
        char *bracket = strchr(start, '[');
        if (bracket && bracket < p && strstr(start, "Run ") && strstr(start, "Run ") < p) {
            return strtod(bracket + 1, NULL);
        }
    }
    return -1;
}

/* Walks /proc: calls fn for every process with user memory. */
static void each_process(void (*fn)(int pid, const char *comm, long rss_kb, void *ctx), void *ctx) {
    DIR *d = opendir("/proc");
    if (!d) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0])) {
            continue;
        }
        char path[64], comm[64], status[4096];
        int pid = atoi(e->d_name);
        snprintf(path, sizeof path, "/proc/%d/comm", pid);
        if (slurp(path, comm, sizeof comm) < 0) {
            continue;
        }
        trim(comm);
        snprintf(path, sizeof path, "/proc/%d/status", pid);
        long rss = -1;
        if (slurp(path, status, sizeof status) > 0) {
            char *vm = strstr(status, "VmRSS:");
            if (vm) {
                rss = strtol(vm + 6, NULL, 10);
            }
        }
        if (rss >= 0) {
            fn(pid, comm, rss, ctx);
        }
    }
    closedir(d);
}

static void print_process(int pid, const char *comm, long rss, void *ctx) {
    (void)ctx;
    line("AGENT-PROC %d %s rss_kb=%ld", pid, comm, rss);
}

struct find {
    const char *comm;
    int pid;
};

static void match_process(int pid, const char *comm, long rss, void *ctx) {
    (void)rss;
    struct find *f = ctx;
    /* /proc/<pid>/comm holds at most 15 bytes of the name. */
    if (strncmp(comm, f->comm, 15) == 0 && (strlen(f->comm) >= 15 || strcmp(comm, f->comm) == 0)) {
        f->pid = pid;
    }
}

static int find_process(const char *comm) {
    struct find f = {comm, 0};
    each_process(match_process, &f);
    return f.pid;
}

/*
 * ---- a minimal JSON reader: validates, and collects devices[].name of the top-level object and
 * the "path" of every object in a "deviceNodes" array (at any depth) ----
 */

struct json {
    const char *p;
    int ok;
    char names[64][128];
    int count;
    char nodes[128][128];
    int node_count;
};

static void ws(struct json *j) {
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r') {
        j->p++;
    }
}

static int value(struct json *j, int depth, int in_devices, char *key_out);

static int string(struct json *j, char *dst, size_t size) {
    if (*j->p != '"') {
        return 0;
    }
    j->p++;
    size_t n = 0;
    while (*j->p && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\') {
            if (!*j->p) {
                return 0;
            }
            c = *j->p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++) {
                    if (!isxdigit((unsigned char)*j->p++)) {
                        return 0;
                    }
                }
                c = '?';
            }
        } else if ((unsigned char)c < 0x20) {
            return 0;
        }
        if (dst && n + 1 < size) {
            dst[n++] = c;
        }
    }
    if (*j->p != '"') {
        return 0;
    }
    j->p++;
    if (dst) {
        dst[n] = '\0';
    }
    return 1;
}

/* in_devices: 1 = the top-level "devices" array, 2 = one of its objects, 3 = a "deviceNodes" array,
   4 = one of its objects. */
static int value(struct json *j, int depth, int in_devices, char *key_out) {
    (void)key_out;
    ws(j);
    if (depth > 64) {
        return 0;
    }
    if (*j->p == '{') {
        j->p++;
        ws(j);
        if (*j->p == '}') {
            j->p++;
            return 1;
        }
        for (;;) {
            char key[128];
            ws(j);
            if (!string(j, key, sizeof key)) {
                return 0;
            }
            ws(j);
            if (*j->p++ != ':') {
                return 0;
            }
            ws(j);
            if (in_devices == 2 && strcmp(key, "name") == 0 && *j->p == '"') {
                char name[128];
                if (!string(j, name, sizeof name)) {
                    return 0;
                }
                if (j->count < 64) {
                    strcpy(j->names[j->count++], name);
                }
            } else if (in_devices == 4 && strcmp(key, "path") == 0 && *j->p == '"') {
                char path[128];
                if (!string(j, path, sizeof path)) {
                    return 0;
                }
                if (j->node_count < 128) {
                    strcpy(j->nodes[j->node_count++], path);
                }
            } else if (!value(j, depth + 1,
                              depth == 0 && strcmp(key, "devices") == 0 ? 1 : strcmp(key, "deviceNodes") == 0 ? 3 : 0,
                              NULL)) {
                return 0;
            }
            ws(j);
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p == '}') {
                j->p++;
                return 1;
            }
            return 0;
        }
    }
    if (*j->p == '[') {
        j->p++;
        ws(j);
        if (*j->p == ']') {
            j->p++;
            return 1;
        }
        for (;;) {
            if (!value(j, depth + 1, in_devices == 1 ? 2 : in_devices == 3 ? 4 : 0, NULL)) {
                return 0;
            }
            ws(j);
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p == ']') {
                j->p++;
                return 1;
            }
            return 0;
        }
    }
    if (*j->p == '"') {
        return string(j, NULL, 0);
    }
    if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "null", 4) == 0) {
        j->p += 4;
        return 1;
    }
    if (strncmp(j->p, "false", 5) == 0) {
        j->p += 5;
        return 1;
    }
    char *end;
    strtod(j->p, &end);
    if (end == j->p) {
        return 0;
    }
    j->p = end;
    return 1;
}

static int in_list(const char *list, const char *item) {
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0) {
            return 1;
        }
        p += len + (comma ? 1 : 0);
    }
    return 0;
}

/* A number field of the node object [obj, end): "key": N; 0 when absent (nvrc and nvidia-ctk
   leave zeros out). */
static long node_number(const char *obj, const char *end, const char *key) {
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(obj, pat);
    return p && p < end ? strtol(p + strlen(pat), NULL, 10) : 0;
}

/* A string field of the node object into out; 0 when absent. */
static int node_string(const char *obj, const char *end, const char *key, char *out, size_t size) {
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(obj, pat);
    if (!p || p >= end) {
        return 0;
    }
    p += strlen(pat);
    const char *q = strchr(p, '"');
    if (!q || q >= end || (size_t)(q - p) >= size) {
        return 0;
    }
    memcpy(out, p, q - p);
    out[q - p] = '\0';
    return 1;
}

/* Every device node the spec names against the guest's /dev: a character device with the
   spec's major, minor and permission bits (nvrc reads them from the live node at boot; a node
   that changed since, or a field written wrong, fails here). */
static void check_cdi_nodes(const char *spec) {
    int nodes = 0, bad = 0;
    char first_bad[512] = "";
    for (const char *at = strstr(spec, "\"deviceNodes\": ["); at; at = strstr(at + 1, "\"deviceNodes\": [")) {
        const char *p = strchr(at, '[') + 1;
        for (;;) {
            const char *open = strchr(p, '{'), *close_list = strchr(p, ']');
            if (!open || (close_list && close_list < open)) {
                break;
            }
            const char *end = strchr(open, '}');
            if (!end) {
                break;
            }
            char path[256] = "", host[256] = "";
            node_string(open, end, "path", path, sizeof path);
            int has_host = node_string(open, end, "hostPath", host, sizeof host);
            long major_want = node_number(open, end, "major"), minor_want = node_number(open, end, "minor");
            long mode_want = node_number(open, end, "fileMode");
            struct stat st;
            const char *file = has_host ? host : path;
            /* A node with its path only (an older nvrc, or a node nvidia-ctk could not read) leaves
               the numbers to the runtime: then it only has to be a character device. */
            const char *perm = strstr(open, "\"permissions\":");
            int numbers = perm && perm < end;
            int ok = lstat(file, &st) == 0 && S_ISCHR(st.st_mode)
                    && (!numbers || ((long)major(st.st_rdev) == major_want && (long)minor(st.st_rdev) == minor_want
                                     && (long)(st.st_mode & 07777) == mode_want));
            nodes++;
            if (!ok && !bad++) {
                snprintf(first_bad, sizeof first_bad, "%s: spec %ld:%ld mode %lo, /dev has %s", file, major_want,
                         minor_want, mode_want, access(file, F_OK) ? "no such node" : "another");
            }
            p = end + 1;
        }
    }
    check("cdi_nodes", nodes > 0 && !bad, "%d node entries, %d unlike /dev%s%s", nodes, bad, bad ? "; first: " : "",
          first_bad);
}

static void check_cdi(void) {
    char expect[1024], spec_path[256];
    if (!param("agent.cdi_spec", spec_path, sizeof spec_path)) {
        strcpy(spec_path, "/var/run/cdi/nvidia.json");
    }
    if (!param("agent.expect_devices", expect, sizeof expect)) {
        /* Nothing to check; show the spec anyway (the demo prints its devices). */
        dump_file(spec_path, "CDI-SPEC-BEGIN", "CDI-SPEC-END");
        return;
    }
    static char spec[1 << 20];
    ssize_t n = slurp(spec_path, spec, sizeof spec);
    if (strcmp(expect, "none") == 0) {
        check("cdi_spec", n < 0, "%s %s", spec_path, n < 0 ? "absent, as expected" : "exists but no devices were expected");
        return;
    }
    if (n < 0) {
        check("cdi_spec", 0, "%s: %s", spec_path, strerror(errno));
        return;
    }
    static struct json j;
    j = (struct json){.p = spec, .ok = 1};
    int valid = value(&j, 0, 0, NULL);
    ws(&j);
    valid = valid && *j.p == '\0';
    check("cdi_spec", valid, "%s %s (%zd bytes)", spec_path, valid ? "parses" : "is not valid JSON", n);
    if (!valid) {
        return;
    }
    char found[2048] = "";
    int all_expected = 1;
    for (int i = 0; i < j.count; i++) {
        snprintf(found + strlen(found), sizeof found - strlen(found), "%s%s", i ? "," : "", j.names[i]);
        all_expected &= in_list(expect, j.names[i]);
    }
    int count_expected = 1;
    for (const char *p = expect; *p; count_expected += *p++ == ',') {
    }
    check("cdi_devices", all_expected && count_expected == j.count, "expected=%s found=%s", expect, found);
    check_cdi_nodes(spec);
    dump_file(spec_path, "CDI-SPEC-BEGIN", "CDI-SPEC-END");
}

/*
 * agent.expect_uvm_tools=510:1: nvrc.uvm.tools made /dev/nvidia-uvm-tools, a character device with
 * nvidia-uvm's major and minor 1, mode 0666, before the CDI spec, which lists it. "absent": there is
 * no such node and the spec (if any) does not list it.
 */
static void check_uvm_tools(void) {
    static const char node[] = "/dev/nvidia-uvm-tools";
    char expect[64], spec_path[256];
    if (!param("agent.expect_uvm_tools", expect, sizeof expect) || !*expect) {
        return;
    }
    if (!param("agent.cdi_spec", spec_path, sizeof spec_path)) {
        strcpy(spec_path, "/var/run/cdi/nvidia.json");
    }
    int absent = strcmp(expect, "absent") == 0;
    unsigned want_major = 0, want_minor = 0;
    if (!absent && sscanf(expect, "%u:%u", &want_major, &want_minor) != 2) {
        check("uvm_tools", 0, "agent.expect_uvm_tools=%s: expected MAJOR:MINOR or absent", expect);
        return;
    }
    struct stat st;
    if (lstat(node, &st) != 0) {
        int err = errno;
        check("uvm_tools", absent && err == ENOENT, "%s: %s", node, strerror(err));
    } else if (absent) {
        check("uvm_tools", 0, "%s exists (mode %o, %u:%u) but none was expected", node, (unsigned)st.st_mode,
              major(st.st_rdev), minor(st.st_rdev));
    } else {
        int ok = S_ISCHR(st.st_mode) && major(st.st_rdev) == want_major && minor(st.st_rdev) == want_minor
                 && (st.st_mode & 07777) == 0666;
        check("uvm_tools", ok, "%s: %s %u:%u mode %04o (expected a character device %u:%u mode 0666)", node,
              S_ISCHR(st.st_mode) ? "character device" : "not a character device", major(st.st_rdev),
              minor(st.st_rdev), (unsigned)(st.st_mode & 07777), want_major, want_minor);
    }
    static char spec[1 << 20];
    ssize_t n = slurp(spec_path, spec, sizeof spec);
    if (n < 0) {
        int err = errno;
        check("uvm_tools_cdi", absent && err == ENOENT, "%s: %s", spec_path, strerror(err));
        return;
    }
    static struct json j;
    j = (struct json){.p = spec, .ok = 1};
    int valid = value(&j, 0, 0, NULL);
    ws(&j);
    if (!valid || *j.p != '\0') {
        check("uvm_tools_cdi", 0, "%s is not valid JSON", spec_path);
        return;
    }
    int listed = 0;
    char nodes[2048] = "";
    for (int i = 0; i < j.node_count; i++) {
        listed |= strcmp(j.nodes[i], node) == 0;
        if (!in_list(nodes, j.nodes[i])) {
            snprintf(nodes + strlen(nodes), sizeof nodes - strlen(nodes), "%s%s", *nodes ? "," : "", j.nodes[i]);
        }
    }
    check("uvm_tools_cdi", absent ? !listed : listed, "%s deviceNodes %s %s: %s", spec_path,
          listed ? "list" : "do not list", node, nodes);
}

static void check_daemons(void) {
    char expect[1024];
    if (!param("agent.expect_daemons", expect, sizeof expect) || !*expect || strcmp(expect, "none") == 0) {
        return;
    }
    char missing[1024] = "", running[1024] = "";
    for (char *name = strtok(expect, ","); name; name = strtok(NULL, ",")) {
        int pid = find_process(name);
        char *dst = pid ? running : missing;
        snprintf(dst + strlen(dst), 1024 - strlen(dst), "%s%s%s%d", *dst ? "," : "", name, pid ? ":" : "", pid);
        if (!pid) {
            /* the pid 0 appended above means "not found": cut it */
            dst[strlen(dst) - 1] = '\0';
        }
    }
    check("daemons", !*missing, "running=%s%s%s", running, *missing ? " missing=" : "", missing);
}

static void check_loaded_modules(void) {
    char expect[1024];
    if (!param("agent.expect_modules", expect, sizeof expect) || !*expect) {
        return;
    }
    static char mods[1 << 16];
    if (slurp("/proc/modules", mods, sizeof mods) < 0) {
        check("modules_loaded", 0, "/proc/modules: %s", strerror(errno));
        return;
    }
    char loaded[1024] = "", missing[1024] = "";
    for (char *name = strtok(expect, ","); name; name = strtok(NULL, ",")) {
        for (char *c = name; *c; c++) {
            *c = *c == '-' ? '_' : *c;
        }
        /* a line of /proc/modules starts with "<name> <size> ..." */
        size_t n = strlen(name);
        int found = 0;
        for (char *p = mods; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
            if (strncmp(p, name, n) == 0 && p[n] == ' ') {
                found = 1;
                break;
            }
        }
        char *dst = found ? loaded : missing;
        snprintf(dst + strlen(dst), 1024 - strlen(dst), "%s%s", *dst ? "," : "", name);
    }
    check("modules_loaded", !*missing, "loaded=%s%s%s", loaded, *missing ? " missing=" : "", missing);
}

static void check_attester(void) {
    char expect[128];
    if (!param("agent.expect_attester", expect, sizeof expect) || !*expect) {
        return;
    }
    const char *got = getenv("KATA_ATTESTER_VARIANT");
    int ok = strcmp(expect, "none") == 0 ? got == NULL : got != NULL && strcmp(got, expect) == 0;
    check("attester_variant", ok, "KATA_ATTESTER_VARIANT=%s", got ? got : "(unset)");
}

/* agent.expect_ro_mount=/run/kata-extensions/gpu:erofs, from /proc/self/mounts ("dev dir type opts ..."). */
static void check_ro_mount(void) {
    char expect[512];
    if (!param("agent.expect_ro_mount", expect, sizeof expect) || !*expect) {
        return;
    }
    char *type = strchr(expect, ':');
    if (!type) {
        check("ro_mount", 0, "agent.expect_ro_mount=%s: expected PATH:TYPE", expect);
        return;
    }
    *type++ = '\0';
    static char mounts[1 << 16];
    if (slurp("/proc/self/mounts", mounts, sizeof mounts) < 0) {
        check("ro_mount", 0, "/proc/self/mounts: %s", strerror(errno));
        return;
    }
    char line[1024] = "";
    for (char *p = mounts; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        char dev[256], dir[256], fstype[64], opts[512];
        if (sscanf(p, "%255s %255s %63s %511s", dev, dir, fstype, opts) == 4 && strcmp(dir, expect) == 0) {
            snprintf(line, sizeof line, "%s %s %s", dev, fstype, opts);
            int ro = strncmp(opts, "ro,", 3) == 0 || strcmp(opts, "ro") == 0;
            int ok = strcmp(fstype, type) == 0 && ro && strstr(opts, "nosuid") && strstr(opts, "nodev")
                     && !strstr(opts, "noexec");
            check("ro_mount", ok, "%s: %s", expect, line);
            return;
        }
    }
    check("ro_mount", 0, "%s: not mounted", expect);
}

static long rss_anon_kb(int pid) {
    char path[64], status[4096];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (slurp(path, status, sizeof status) <= 0) {
        return -1;
    }
    char *p = strstr(status, "RssAnon:");
    return p ? strtol(p + 8, NULL, 10) : -1;
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void check_drainer(void) {
    int pid = find_process("nvrc-drain");
    check("drainer", pid > 0, "pid=%d", pid);
    if (pid <= 0) {
        return;
    }
    char value[32];
    long lines = param("agent.drain_lines", value, sizeof value) ? atol(value) : 10000;
    long budget = param("agent.drain_ms", value, sizeof value) ? atol(value) : 20000;
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
    if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
        check("drainer_throughput", 0, "cannot connect to /dev/log: %s", strerror(errno));
        return;
    }
    long start = now_ms(), eagain = 0, sent = 0, progress = start;
    /* A drainer that stopped receiving fills the queue: give up after 3 s without progress. */
    while (sent < lines && now_ms() - start < budget && now_ms() - progress < 3000) {
        char msg[96];
        int n = snprintf(msg, sizeof msg, "<15>agent: drainer test line %ld of %ld", sent + 1, lines);
        if (send(s, msg, (size_t)n, MSG_DONTWAIT) == n) {
            sent++;
            progress = now_ms();
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            eagain++;
            struct pollfd p = {s, POLLOUT, 0};
            poll(&p, 1, 100);
        } else {
            check("drainer_throughput", 0, "send: %s after %ld lines", strerror(errno), sent);
            close(s);
            return;
        }
    }
    long took = now_ms() - start;
    close(s);
    check("drainer_throughput", sent == lines, "sent=%ld of %ld eagain=%ld ms=%ld budget_ms=%ld", sent, lines, eagain, took,
          budget);
    struct timespec settle = {0, 200 * 1000000L};
    nanosleep(&settle, NULL);
    char path[64], state[4096];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    int alive = slurp(path, state, sizeof state) > 0 && !strstr(state, "State:\tZ");
    check("drainer_alive", alive && find_process("nvrc-drain") == pid, "pid=%d after the burst", pid);
    line("AGENT-DRAINER-RSS-ANON %ld", rss_anon_kb(pid));
}

static void check_root_readonly(void) {
    struct statvfs v;
    int ro_flag = statvfs("/", &v) == 0 && (v.f_flag & ST_RDONLY);
    int fd = open("/.agent-write-test", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    int err = errno;
    if (fd >= 0) {
        close(fd);
        unlink("/.agent-write-test");
    }
    check("root_readonly", ro_flag && fd < 0 && err == EROFS, "statvfs_rdonly=%d create=%s", ro_flag,
          fd >= 0 ? "succeeded" : strerror(err));
}

static void check_modules(void) {
    char buf[32] = "";
    slurp("/proc/sys/kernel/modules_disabled", buf, sizeof buf);
    trim(buf);
    check("modules_disabled", strcmp(buf, "1") == 0, "kernel.modules_disabled=%s", buf);
    /* Not a module: if loading were allowed the kernel would reject the image (ENOEXEC). */
    static const char junk[64] = "not an ELF module";
    long r = syscall(SYS_init_module, junk, sizeof junk, "");
    int err = errno;
    check("module_load_refused", r < 0 && err == EPERM, "init_module: %s", r < 0 ? strerror(err) : "succeeded");
}

int main(void) {
    if (getpid() != 1) {
        /* It loads (junk) modules and powers off: only ever as PID 1 of a test VM. */
        static const char refuse[] = "kata-agent (nvrc VM test stub): not PID 1, refusing to run\n";
        if (write(2, refuse, sizeof refuse - 1) < 0) {
            return 2;
        }
        return 2;
    }
    int console = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (console >= 0) {
        out = console;
    }
    double uptime = seconds_since_boot();
    slurp("/proc/cmdline", cmdline, sizeof cmdline);
    line("AGENT-START");
    line("AGENT-UPTIME %.3f", uptime);
    line("AGENT-KERNEL-RUN-INIT %.3f", kernel_run_init());

    check("pid1", getpid() == 1, "pid=%d", getpid());
    char buf[64] = "";
    slurp("/proc/self/oom_score_adj", buf, sizeof buf);
    trim(buf);
    check("oom_score_adj", strcmp(buf, "-997") == 0, "value=%s", buf);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    check("rlimit_nofile", rl.rlim_cur == 1048576 && rl.rlim_max == 1048576, "soft=%llu hard=%llu",
          (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
    check_root_readonly();
    check_modules();
    check_loaded_modules();
    check_attester();
    check_ro_mount();
    int java = find_process("java"), loader = find_process("nvrc");
    check("no_jvm", !java && !loader, "java_pid=%d nvrc_pid=%d", java, loader);
    check_cdi();
    check_uvm_tools();
    check_daemons();
    check_drainer();
    ssize_t report = slurp("/run/nvrc/boot.json", (char[2]){0}, 2);
    check("boot_report", report > 0, "/run/nvrc/boot.json %s", report > 0 ? "present" : "missing");
    each_process(print_process, NULL);
    dump_file("/run/nvrc/boot.json", "BOOT-JSON-BEGIN", "BOOT-JSON-END");
    dump_file("/run/nvsim.log", "NVSIM-LOG-BEGIN", "NVSIM-LOG-END");
    dump_file("/run/fabricmanager.cfg", "FM-CONFIG-BEGIN", "FM-CONFIG-END");
    line("AGENT-DONE passed=%d failed=%d", passed, failed);
    line("AGENT-POWEROFF");
    sync();
    reboot(RB_POWER_OFF);
    line("AGENT-POWEROFF-FAILED %s", strerror(errno));
    for (;;) {
        pause();
    }
}
