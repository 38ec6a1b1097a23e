/*
 * The drainer role: nvrc-drain FD [--kmsg]
 *
 * After the boot the JVM replaces itself by kata-agent; the /dev/log socket it bound must still
 * be read, or every daemon's syslog(3) call blocks once the socket's queue is full. The JVM
 * spawns this role with the bound AF_UNIX datagram socket as descriptor FD. It receives
 * forever; with --kmsg each message goes to the kernel log (its <PRI> prefix stripped from the
 * text and given to the kernel as the record's level), without it messages are dropped.
 *
 * It never exits on its own: an exit here would silently wedge the daemons. Transient errors
 * (EINTR, ENOBUFS, ENOMEM) are retried; any other error is reported once per errno value and
 * retried after a pause; a descriptor that is not a usable socket (EBADF, ENOTSOCK, ...) is
 * reported once and the drainer then sleeps forever.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include "nvrc-stub.h"

/* Long enough for any syslog(3) message the daemons send; longer ones are truncated. */
#define MESSAGE_MAX 4096
/* The kernel takes at most about 1 kB per /dev/kmsg record; longer text is cut. */
#define KMSG_TEXT_MAX 960
/* LOG_USER | LOG_INFO: the level of a message that carries no valid <PRI>. */
#define DEFAULT_PRI 14
/* Consecutive failures of one kind after which the descriptor counts as unusable. */
#define GIVE_UP_AFTER 1000

static const char *fd_text = "?";
static int kmsg = -1;
static int forward;
static int reported[160]; /* errno values already reported (errno < 160 on Linux) */

static void pause_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR) {
    }
}

/* Reports a problem once per errno value: to the kernel log if possible, else stderr. */
static void report_once(const char *what, int err, const char *consequence) {
    if (err > 0 && err < (int)(sizeof reported / sizeof reported[0])) {
        if (reported[err]) {
            return;
        }
        reported[err] = 1;
    }
    int fd = kmsg >= 0 ? kmsg : open_kmsg();
    SAY(fd >= 0 ? fd : STDERR_FILENO, fd >= 0 ? "<4>" : "", "nvrc-drain: ", what, " (fd ", fd_text, "): ",
        errno_text(err), "; ", consequence, "\n");
    if (fd >= 0 && fd != kmsg) {
        close(fd);
    }
}

static int parse_fd(const char *s) {
    long v = 0;
    if (!*s) {
        return -1;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 1000000) {
            return -1;
        }
        v = v * 10 + (*s - '0');
    }
    return (int)v;
}

/*
 * Strips a leading "<...>" (up to the first '>', as the JVM's sink does) and trailing
 * whitespace; returns the priority it named, or DEFAULT_PRI if it was not a number 0-191.
 */
static int strip_priority(char **text, size_t *len) {
    char *p = *text;
    size_t n = *len;
    int pri = DEFAULT_PRI;
    if (n > 0 && p[0] == '<') {
        char *close = memchr(p, '>', n);
        if (close) {
            size_t digits = (size_t)(close - p - 1);
            if (digits >= 1 && digits <= 3) {
                int v = 0;
                size_t i;
                for (i = 1; i <= digits && p[i] >= '0' && p[i] <= '9'; i++) {
                    v = v * 10 + (p[i] - '0');
                }
                if (i > digits && v <= 191) {
                    pri = v;
                }
            }
            n -= (size_t)(close + 1 - p);
            p = close + 1;
        }
    }
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\0')) {
        n--;
    }
    *text = p;
    *len = n;
    return pri;
}

static void forward_to_kmsg(char *text, size_t len, int pri) {
    if (kmsg < 0) {
        kmsg = open_kmsg();
        if (kmsg < 0) {
            report_once("cannot open /dev/kmsg", errno, "messages are dropped until it can be opened");
            return;
        }
    }
    char record[KMSG_TEXT_MAX + 8];
    char num[24];
    const char *p = decimal(pri, num);
    size_t head = 0;
    record[head++] = '<';
    while (*p) {
        record[head++] = *p++;
    }
    record[head++] = '>';
    if (len > KMSG_TEXT_MAX) {
        len = KMSG_TEXT_MAX;
    }
    memcpy(record + head, text, len);
    while (write(kmsg, record, head + len) < 0) {
        if (errno != EINTR) {
            report_once("write to /dev/kmsg failed", errno, "this message is dropped, draining goes on");
            return;
        }
    }
}

/* Blocks until the socket is readable: used if the inherited descriptor is non-blocking. */
static void wait_readable(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
}

static int unusable(int err) {
    return err == EBADF || err == ENOTSOCK || err == EINVAL || err == EFAULT || err == ENOTCONN
        || err == EOPNOTSUPP;
}

int drain_main(int argc, char **argv) {
    int fd = argc >= 2 ? parse_fd(argv[1]) : -1;
    forward = argc == 3 && strcmp(argv[2], "--kmsg") == 0;
    if (fd < 0 || argc > 3 || (argc == 3 && !forward)) {
        SAY(STDERR_FILENO, "usage: nvrc-drain FD [--kmsg]\n");
        return 2;
    }
    fd_text = argv[1];
    /* Nobody reads our output and the console may hang up: neither may end the drainer. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    static char buf[MESSAGE_MAX];
    int last_err = 0;
    long repeats = 0;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n >= 0) {
            last_err = 0;
            repeats = 0;
            if (forward && n > 0) {
                char *text = buf;
                size_t len = (size_t)n;
                int pri = strip_priority(&text, &len);
                if (len > 0) {
                    forward_to_kmsg(text, len, pri);
                }
            }
            continue;
        }
        int err = errno;
        if (err == EINTR) {
            continue;
        }
        if (err == EAGAIN || err == EWOULDBLOCK) {
            wait_readable(fd);
            continue;
        }
        repeats = err == last_err ? repeats + 1 : 1;
        last_err = err;
        if (unusable(err) || repeats >= GIVE_UP_AFTER) {
            report_once("receive failed", err, "the socket is unusable, the drainer stops receiving and stays");
            sleep_forever();
        }
        if (err == ENOBUFS || err == ENOMEM) {
            pause_ms(10);
            continue;
        }
        report_once("receive failed", err, "retrying");
        pause_ms(10);
    }
}
