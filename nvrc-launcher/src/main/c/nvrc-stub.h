/*
 * nvrc-stub: the static C program of the boot image. One binary, several roles chosen by the
 * name it is started under (argv[0]'s last path component):
 *
 *   init, nvrc-init  PID 1: exec the jlink'ed JVM with fixed flags (init.c)
 *   nvrc-drain       drain the inherited /dev/log socket forever (drain.c)
 *   nvrc-jvm-argv    print the JVM command line init would run, one word a line (build and docs)
 *
 * Static (gcc -static): it must run before anything is mounted and on a guest whose own libc
 * is unknown. It never uses stdio so that the drainer, which lives as long as the VM, stays tiny.
 */
#ifndef NVRC_STUB_H
#define NVRC_STUB_H

#include <stddef.h>

/* Where the boot image lives in the guest. */
#define NVRC_ROOT "/usr/lib/nvrc"

int init_main(int argc, char **argv);
int jvm_argv_main(int argc, char **argv);
int drain_main(int argc, char **argv);

/* Output helpers (say.c): raw write(2), no buffering, no allocation. */
void say(int fd, const char *const *parts);
#define SAY(fd, ...) say((fd), (const char *const[]){__VA_ARGS__, NULL})
const char *errno_text(int err);
const char *decimal(long value, char buf[24]);
int open_kmsg(void);

/* Sleeps forever (used where exiting would do harm). */
_Noreturn void sleep_forever(void);

#endif
