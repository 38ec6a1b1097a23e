#!/usr/bin/env bash
# Read-only checks of nvrc against a real NVIDIA machine (or a machine tree given with --root):
#
#   plan      nvrc plan --root R: the mode, layout and fabric nvrc detects from the PCI functions
#   cdi       nvrc cdi --root R: the spec nvrc would write (driver version, GPUs, MIG devices,
#             libraries, firmware, programs: the driver's files as the library reads them)
#   schema    that spec validated against the CDI JSON schema (python3 jsonschema)
#   isolation no MIG capability node in the spec's common edits
#   ctk       the device names and the nodes of each device compared with `nvidia-ctk cdi generate`
#             (only for --root /, when nvidia-ctk is installed and the driver's nodes already exist)
#   persistd  (--root / only) a running nvidia-persistenced: the pid in its pid file, that process's
#             parent (1 or a service manager: the program forked and its first process exited)
#   dcgm      (--root / only) nv-hostengine has --no-daemon and --pid, dcgm-exporter has
#             --remote-hostengine-info (their --help; nothing is started)
#   fm-log    (--root / only) which readiness lines this machine's Fabric Manager logged (its log
#             file and, with systemd, its journal of this boot), with the NVLink generation nvrc
#             detects: confirms the per-generation readiness rule of docs/fabric.md
#
# It prints a table and writes it to --out. It changes nothing on the machine: no module is
# loaded, no nvidia-smi setting, clock or MIG change is made, nothing outside a temporary
# directory and the --out file is written. nvrc's plan and cdi commands only read files;
# nvidia-ctk is run only when /dev/nvidiactl exists, so that NVML has no device node to create.
#
# Usage: scripts/gpu-check.sh [--root DIR] [--out FILE] [--cmdline 'nvrc.mode=...']
#                             [--nvrc 'COMMAND'] [--schema-dir DIR]
#   --nvrc      how to run nvrc (default: java -jar nvrc-launcher/target/nvrc.jar; build with mvn package)
#   --schema-dir  directory with the CDI schema.json and defs.json (default: the first found in the
#               repository's test resources, nvrc-gpu/src/test/resources/cdi-reference)
# Exit status: 0 when no check failed (skipped checks do not fail), 1 otherwise, 2 on bad usage.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root=/
out=gpu-check-report.txt
cmdline=""
nvrc="java -jar $repo/nvrc-launcher/target/nvrc.jar"
schema_dir=""

while (($#)); do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cmdline) cmdline="$2"; shift 2 ;;
    --nvrc) nvrc="$2"; shift 2 ;;
    --schema-dir) schema_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -d "$root" ] || { echo "gpu-check: --root $root is not a directory" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rows=()
failed=0

row() { # check result detail
  rows+=("$(printf '%-10s %-8s %s' "$1" "$2" "$3")")
  [ "$2" = FAIL ] && failed=1
  return 0
}

have_python_json() { command -v python3 >/dev/null 2>&1; }

# --- plan ------------------------------------------------------------------
if $nvrc plan --cmdline "$cmdline" --root "$root" --json >"$tmp/plan.json" 2>"$tmp/plan.err"; then
  if have_python_json; then
    detail="$(python3 - "$tmp/plan.json" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))
top = next(s for s in plan if s["step"] == "topology")
parts = [top.get("found", "?"), "mode " + top.get("mode", "?")]
if "nvlink" in top:
    parts.append("%s FABRIC_MODE=%s %s" % (top["nvlink"], top["fabric_mode"], top["rail_policy"]))
parts.append("layout: " + top.get("layout", "?"))
guid = [s for s in plan if s["step"] == "infiniband port guid"]
if guid:
    parts.append("NVLSM port: " + guid[0].get("value", "?"))
print("; ".join(parts))
EOF
)"
    row plan ok "$detail"
  else
    row plan ok "$(grep -c '"step"' "$tmp/plan.json") steps (python3 missing: no detail)"
  fi
else
  row plan FAIL "$(head -c 400 "$tmp/plan.err" | tr '\n' ' ')"
fi

# --- cdi -------------------------------------------------------------------
spec="$tmp/nvidia.json"
if $nvrc cdi --root "$root" --output "$spec" >"$tmp/cdi.out" 2>"$tmp/cdi.err"; then
  if have_python_json; then
    detail="$(python3 - "$spec" <<'EOF'
import json, re, sys
spec = json.load(open(sys.argv[1]))
names = [d["name"] for d in spec["devices"]]
gpus = [n for n in names if re.fullmatch(r"\d+", n)]
migs = [n for n in names if ":" in n]
mounts = [m["containerPath"] for m in spec["containerEdits"].get("mounts", [])]
libs = [m for m in mounts if "/lib" in m and ".so" in m]
fw = [m for m in mounts if m.startswith("/lib/firmware/")]
version = next((m.rsplit("libcuda.so.", 1)[1] for m in mounts if "/libcuda.so." in m), "?")
print("cdiVersion %s; driver %s; %d GPU, %d MIG device(s) %s; %d libraries, %d firmware, %d mounts in all"
      % (spec["cdiVersion"], version, len(gpus), len(migs), " ".join(migs), len(libs), len(fw), len(mounts)))
EOF
)"
    row cdi ok "$detail"
  else
    row cdi ok "$(wc -c <"$spec") bytes (python3 missing: no detail)"
  fi
else
  row cdi FAIL "$(head -c 400 "$tmp/cdi.err" | tr '\n' ' ')"
  spec=""
fi

# --- schema ----------------------------------------------------------------
if [ -z "$schema_dir" ]; then
  for candidate in $(find "$repo" -path '*/src/test/resources/*' -name schema.json -not -path '*/target/*' 2>/dev/null); do
    if [ -f "$candidate" ] && [ -f "$(dirname "$candidate")/defs.json" ]; then
      schema_dir="$(cd "$(dirname "$candidate")" && pwd -P)"
      break
    fi
  done
fi
if [ -z "$spec" ]; then
  row schema skipped "no spec"
elif [ -z "$schema_dir" ] || [ ! -f "$schema_dir/schema.json" ]; then
  row schema skipped "no CDI schema.json + defs.json found (give --schema-dir)"
elif ! python3 -c 'import jsonschema' 2>/dev/null; then
  row schema skipped "python3 jsonschema missing (apt-get install python3-jsonschema)"
else
  if result="$(python3 - "$schema_dir" "$spec" <<'EOF' 2>&1
import json, pathlib, sys
import jsonschema
schema_dir = pathlib.Path(sys.argv[1]).resolve()
schema = json.loads((schema_dir / "schema.json").read_text())
defs = json.loads((schema_dir / "defs.json").read_text())
base = schema_dir.as_uri() + "/"
store = {base + "schema.json": schema, base + "defs.json": defs, "defs.json": defs}
resolver = jsonschema.RefResolver(base_uri=base + "schema.json", referrer=schema, store=store)
errors = sorted(jsonschema.Draft7Validator(schema, resolver=resolver).iter_errors(json.load(open(sys.argv[2]))),
                key=str)
for e in errors[:5]:
    print("/".join(map(str, e.absolute_path)) + ": " + e.message)
sys.exit(1 if errors else 0)
EOF
)"; then
    row schema ok "valid by $schema_dir/schema.json"
  else
    row schema FAIL "$(echo "$result" | grep -v DeprecationWarning | head -5 | tr '\n' ' ')"
  fi
fi

# --- isolation -------------------------------------------------------------
if [ -n "$spec" ] && have_python_json; then
  caps="$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(" ".join(n["path"] for n in s["containerEdits"].get("deviceNodes", []) if n["path"].startswith("/dev/nvidia-caps/")))' "$spec")"
  if [ -z "$caps" ]; then
    row isolation ok "no /dev/nvidia-caps node in the common edits"
  else
    row isolation FAIL "shared MIG capabilities: $caps"
  fi
else
  row isolation skipped "no spec or no python3"
fi

# --- nvidia-ctk ------------------------------------------------------------
if [ "$(cd "$root" && pwd -P)" != / ]; then
  row ctk skipped "nvidia-ctk reads the live machine only (root is $root)"
elif ! command -v nvidia-ctk >/dev/null 2>&1; then
  row ctk skipped "nvidia-ctk not installed"
elif [ ! -c /dev/nvidiactl ]; then
  row ctk skipped "/dev/nvidiactl missing: NVML would create device nodes"
elif [ -z "$spec" ] || ! have_python_json; then
  row ctk skipped "no nvrc spec or no python3"
elif ! nvidia-ctk cdi generate --format json --output "$tmp/ctk.json" >"$tmp/ctk.log" 2>&1; then
  row ctk FAIL "nvidia-ctk cdi generate failed: $(tail -c 300 "$tmp/ctk.log" | tr '\n' ' ')"
else
  detail="$(python3 - "$spec" "$tmp/ctk.json" <<'EOF'
import json, sys
def load(p):
    s = json.load(open(p))
    devices = {d["name"]: [n["path"] for n in d["containerEdits"].get("deviceNodes", [])] for d in s["devices"]}
    mounts = {m["containerPath"] for m in s["containerEdits"].get("mounts", [])}
    return devices, mounts
ours, our_mounts = load(sys.argv[1])
theirs, their_mounts = load(sys.argv[2])
notes = []
only_ctk = sorted(set(theirs) - set(ours))
only_nvrc = sorted(set(ours) - set(theirs))
if only_ctk: notes.append("devices only nvidia-ctk has: " + " ".join(only_ctk))
if only_nvrc: notes.append("devices only nvrc has: " + " ".join(only_nvrc))
nodes = [n for n in sorted(set(ours) & set(theirs)) if sorted(ours[n]) != sorted(theirs[n])]
if nodes: notes.append("nodes differ for: " + " ".join(nodes))
if their_mounts - our_mounts: notes.append("%d mounts only nvidia-ctk has (docs/cdi.md says which are expected)"
                                           % len(their_mounts - our_mounts))
if our_mounts - their_mounts: notes.append("%d mounts only nvrc has" % len(our_mounts - their_mounts))
print("same devices, nodes and mounts" if not notes else "; ".join(notes))
EOF
)"
  row ctk compared "$detail"
fi

# --- the NVIDIA daemons as installed (docs/real-hardware.md): read-only -----
live=0
[ "$(cd "$root" && pwd -P)" = / ] && live=1
if [ "$live" = 0 ]; then
  row persistd skipped "reads the live machine only (root is $root)"
elif [ ! -f /var/run/nvidia-persistenced/nvidia-persistenced.pid ]; then
  row persistd skipped "no /var/run/nvidia-persistenced/nvidia-persistenced.pid: not running"
else
  pid="$(tr -d ' \n' </var/run/nvidia-persistenced/nvidia-persistenced.pid)"
  if [ -r "/proc/$pid/status" ]; then
    ppid="$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")"
    row persistd ok "pid file names $pid ($(cat "/proc/$pid/comm")), parent $ppid ($(cat "/proc/$ppid/comm" 2>/dev/null || echo '?')): the daemon it forked"
  else
    row persistd FAIL "pid file names $pid, which is not running"
  fi
fi
if [ "$live" = 0 ]; then
  row dcgm skipped "reads the live machine only (root is $root)"
else
  notes=()
  if command -v nv-hostengine >/dev/null 2>&1; then
    help="$(nv-hostengine --help 2>&1 || true)"
    for opt in --no-daemon --pid --log-filename; do
      grep -q -- "$opt" <<<"$help" && notes+=("nv-hostengine $opt: yes") || notes+=("nv-hostengine $opt: NO")
    done
  else
    notes+=("nv-hostengine not installed")
  fi
  if command -v dcgm-exporter >/dev/null 2>&1; then
    grep -q -- "remote-hostengine-info" <<<"$(dcgm-exporter --help 2>&1 || true)" \
      && notes+=("dcgm-exporter -r: yes") || notes+=("dcgm-exporter -r: NO")
  else
    notes+=("dcgm-exporter not installed")
  fi
  row dcgm seen "$(IFS=';'; echo "${notes[*]}")"
fi
nvlink="$(python3 -c 'import json,sys; t=next(s for s in json.load(open(sys.argv[1])) if s["step"]=="topology"); print(t.get("nvlink","none"))' "$tmp/plan.json" 2>/dev/null || echo '?')"
if [ "$live" = 0 ]; then
  row fm-log skipped "reads the live machine only (root is $root)"
else
  cfg=/usr/share/nvidia/nvswitch/fabricmanager.cfg
  logfile="$(sed -n 's/^[ \t]*LOG_FILE_NAME[ \t]*=[ \t]*//p' "$cfg" 2>/dev/null | tail -1)"
  logfile="${logfile:-/var/log/fabricmanager.log}"
  : >"$tmp/fm.log"
  [ -r "$logfile" ] && cat "$logfile" >>"$tmp/fm.log"
  command -v journalctl >/dev/null 2>&1 && journalctl -b --no-pager -u nvidia-fabricmanager >>"$tmp/fm.log" 2>/dev/null
  if [ ! -s "$tmp/fm.log" ]; then
    row fm-log skipped "no Fabric Manager log ($logfile) or journal: not run on this machine (nvlink $nvlink)"
  else
    inband=absent; configured=absent
    grep -q "FM starting NvLink Inband" "$tmp/fm.log" && inband=seen
    grep -q "Successfully configured all the available" "$tmp/fm.log" && configured=seen
    row fm-log seen "nvlink $nvlink; FABRIC_MODE $(sed -n 's/^FABRIC_MODE=//p' "$cfg" 2>/dev/null | tail -1); 'FM starting NvLink Inband' $inband; 'Successfully configured all the available' $configured: $(grep -m1 -o 'Successfully configured all the available[^.]*' "$tmp/fm.log" || true)"
  fi
fi

{
  echo "nvrc gpu-check, root $root, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r)"
  printf '%-10s %-8s %s\n' check result detail
  for r in "${rows[@]}"; do echo "$r"; done
} | tee "$out"
exit "$failed"
