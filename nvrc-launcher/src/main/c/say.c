/* Unbuffered output helpers shared by the roles. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "nvrc-stub.h"

static void write_all(int fd, const char *p, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return;
        }
        p += w;
        len -= (size_t)w;
    }
}

void say(int fd, const char *const *parts) {
    /* One write(2) per message where it fits: /dev/kmsg takes each write as one record. */
    char line[1024];
    size_t len = 0;
    for (const char *const *p = parts; *p; p++) {
        size_t n = strlen(*p);
        if (n > sizeof line - len) {
            /* Too long for one record (only the argv printer gets here): write piecewise. */
            for (p = parts; *p; p++) {
                write_all(fd, *p, strlen(*p));
            }
            return;
        }
        memcpy(line + len, *p, n);
        len += n;
    }
    write_all(fd, line, len);
}

const char *errno_text(int err) {
    return strerror(err);
}

const char *decimal(long value, char buf[24]) {
    char *p = buf + 23;
    unsigned long v = value < 0 ? -(unsigned long)value : (unsigned long)value;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (value < 0) {
        *--p = '-';
    }
    return p;
}

int open_kmsg(void) {
    /*
     * Only the real device: before devtmpfs is mounted, a shell redirect (the kernel runs
     * /sbin/modprobe scripts early) can leave a regular file at /dev/kmsg that would swallow
     * every line written to it.
     */
    int fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode))) {
        close(fd);
        errno = ENODEV;
        return -1;
    }
    return fd;
}

_Noreturn void sleep_forever(void) {
    for (;;) {
        struct timespec day = {86400, 0};
        nanosleep(&day, NULL);
    }
}
