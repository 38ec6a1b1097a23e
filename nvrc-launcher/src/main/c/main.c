/* Role dispatch by program name; see nvrc-stub.h. */
#include <string.h>
#include "nvrc-stub.h"

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int main(int argc, char **argv) {
    const char *name = argc > 0 && argv[0] ? base_name(argv[0]) : "";
    if (strcmp(name, "nvrc-drain") == 0) {
        return drain_main(argc, argv);
    }
    if (strcmp(name, "nvrc-jvm-argv") == 0) {
        return jvm_argv_main(argc, argv);
    }
    /* Anything else (/init, /sbin/init, nvrc-init) is the init: the kernel picks the name. */
    return init_main(argc, argv);
}
