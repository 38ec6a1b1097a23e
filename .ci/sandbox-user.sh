#!/bin/sh
# Creates the unprivileged user the namespace sandbox tests enter from (idempotent).
#
# The sandbox tests of nvrc-kernel start a JVM as PID 1 of fresh user+pid+mount+net namespaces.
# They must enter those namespaces from an unprivileged host uid: a user namespace created by
# host root maps "0 0 1", and kernel.* sysctl checks compare against the global root, so a
# sandbox entered from root could write global sysctls. This user has no home, no shell and no
# password; it exists only so that `setpriv --reuid=nvrcsbx` has a uid to switch to.
set -eu
user=nvrcsbx
if id "$user" >/dev/null 2>&1; then
    echo "sandbox user $user exists (uid $(id -u "$user"))"
else
    useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    echo "sandbox user $user created (uid $(id -u "$user"))"
fi
