#!/usr/bin/env bash
# npm run systemd:check — docs/DEPLOYMENT.md's systemd unit under a real systemd:
# PID 1 of a Debian 12 container booted with systemd-nspawn (not part of
# `npm test` or CI: it needs root and builds a Debian tree once).
#
# The unit is installed as the page's ```ini block says, unchanged (the project is
# bind-mounted read-only at /opt/helpdesk, the host's node at /usr/bin/node), with
# /etc/helpdesk/env (mode 0600) pointing at a fresh PostgreSQL database on the host
# and at a fake Bot API started on the host (scripts/deploy-check/fake-telegram.ts).
# The container shares the host's network, so 127.0.0.1 is the same on both sides.
# Then `systemctl enable --now helpdesk@1 helpdesk@2` and the checks below, one
# PASS/FAIL line each; exits 1 when any failed, 2 when it could not run.
#
# Needs: root (CAP_SYS_ADMIN), systemd-nspawn and debootstrap (installed with
# apt-get when missing), PostgreSQL on 127.0.0.1:5432 (user postgres, trust),
# ports 3001, 3002 and 4290 free, node on PATH. The Debian tree is made once
# (debootstrap, about 260 MB) in /var/lib/machines/hd and kept for the next run.
# The host needs no systemd: nspawn runs with --register=no --keep-unit, and
# commands reach the container through nsenter (machinectl needs machined).
#
# Environment: MACHINE (hd), TREE (/var/lib/machines/$MACHINE), DB (hx_systemd),
# MIRROR (http://deb.debian.org/debian), KEEP=1 leaves the container running and the
# database in place at the end (stop it with: kill <nspawn pid>, printed).
set -uo pipefail

cd "$(dirname "$0")/.."
PROJECT=$(pwd)
MACHINE=${MACHINE:-hd}
TREE=${TREE:-/var/lib/machines/$MACHINE}
DB=${DB:-hx_systemd}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PG=(-h 127.0.0.1 -U postgres)
FAKE_PORT=4290
BOT_TOKEN=123456:SYSTEMD-check-token-for-the-fake-bot-api
UNIT=/etc/systemd/system/helpdesk@.service
LOG=$(mktemp -d /tmp/systemd-check.XXXXXX)

die() {
  echo "systemd-check: $*" >&2
  exit 2
}
[ "$(id -u)" = 0 ] || die "needs root (systemd-nspawn, nsenter)"
NODE=$(command -v node) || die "node not on PATH"

# --- tools, the Debian tree ----------------------------------------------------
if ! command -v systemd-nspawn >/dev/null || ! command -v debootstrap >/dev/null; then
  echo "systemd-check: installing systemd-container and debootstrap (apt-get)"
  apt-get install -y -qq systemd-container debootstrap >/dev/null || die "apt-get install systemd-container debootstrap failed"
fi
if [ ! -x "$TREE/usr/lib/systemd/systemd" ]; then
  echo "systemd-check: building the Debian 12 tree in $TREE (debootstrap, once; log $LOG/debootstrap.log)"
  mkdir -p "$(dirname "$TREE")"
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,ca-certificates,curl,procps,libstdc++6 \
    bookworm "$TREE" "$MIRROR" >"$LOG/debootstrap.log" 2>&1 || die "debootstrap failed (see $LOG/debootstrap.log)"
  echo "$MACHINE" >"$TREE/etc/hostname"
fi
for port in 3001 3002 $FAKE_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use"; fi
done

# --- the unit, the env file, the user, the database --------------------------
# The page's one ```ini block, exactly (deploy:check reads the same block).
blocks=$(grep -c '^```ini$' docs/DEPLOYMENT.md)
[ "$blocks" = 1 ] || die "docs/DEPLOYMENT.md: expected one \`\`\`ini block, found $blocks"
awk '/^```ini$/{f=1;next} /^```$/{f=0} f' docs/DEPLOYMENT.md >"$TREE$UNIT"
grep -q '^ExecStart=/usr/bin/node ' "$TREE$UNIT" || die "the unit's ExecStart no longer runs /usr/bin/node"
grep -q '^WorkingDirectory=/opt/helpdesk$' "$TREE$UNIT" || die "the unit's WorkingDirectory is no longer /opt/helpdesk"

mkdir -p "$TREE/etc/helpdesk"
(
  umask 077
  cat >"$TREE/etc/helpdesk/env" <<EOF
DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
BOT_TOKEN=$BOT_TOKEN
JWT_SECRET=systemd-check-jwt-secret-0123456789abcdef
WEBHOOK_SECRET=systemd-check-webhook-secret
PUBLIC_URL=https://desk.example.org
DATA_DIR=/var/lib/helpdesk
TRUST_PROXY=true
TELEGRAM_API_ROOT=http://127.0.0.1:$FAKE_PORT
EOF
)
chmod 0600 "$TREE/etc/helpdesk/env"
chroot "$TREE" id helpdesk >/dev/null 2>&1 ||
  chroot "$TREE" useradd --system --home-dir /var/lib/helpdesk --no-create-home --shell /usr/sbin/nologin helpdesk ||
  die "useradd helpdesk failed"
# A fresh start: no state directory (systemd must make it), not enabled, an empty journal.
rm -rf "$TREE/var/lib/helpdesk" "$TREE/var/lib/private/helpdesk" "$TREE/var/log/journal"/*
rm -f "$TREE"/etc/systemd/system/multi-user.target.wants/helpdesk@*.service

dropdb "${PG[@]}" --if-exists "$DB" >/dev/null 2>&1
createdb "${PG[@]}" "$DB" || die "createdb $DB failed"

# The Mini App, built before (the unit's comment: the service cannot write /opt/helpdesk).
echo "systemd-check: npm run build (the Mini App)"
npm run build >"$LOG/build.log" 2>&1 || die "npm run build failed (see $LOG/build.log)"

# --- the fake Bot API, the container ----------------------------------------
NSPAWN=""
FAKE=""
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "systemd-check: KEEP=1: container $MACHINE running (nspawn pid $NSPAWN), fake Bot API pid $FAKE, database $DB kept"
    return
  fi
  if [ -n "$NSPAWN" ] && kill -0 "$NSPAWN" 2>/dev/null; then
    poweroff || kill -KILL "$NSPAWN"
  fi
  [ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null
  dropdb "${PG[@]}" --if-exists "$DB" >/dev/null 2>&1
}
trap cleanup EXIT
trap "exit 130" INT TERM

node --import tsx scripts/deploy-check/fake-telegram.ts $FAKE_PORT >"$LOG/fake-telegram.log" 2>&1 &
FAKE=$!
for _ in $(seq 1 60); do
  curl -sf -X POST "http://127.0.0.1:$FAKE_PORT/bot$BOT_TOKEN/getMe" >/dev/null && break
  sleep 0.5
done

binds=(--bind-ro="$PROJECT:/opt/helpdesk" --bind-ro="$NODE:/usr/bin/node")
# A node_modules that is a symlink (a git worktree's) is bound at its target too.
if [ -L node_modules ]; then
  modules=$(readlink -f node_modules)
  binds+=(--bind-ro="$modules:$modules")
fi
# Boots the container in the background: NSPAWN (its pid), LEADER (the container's
# PID 1 as the host sees it: nspawn's child running systemd in a PID namespace of its
# own; nspawn forks an intermediate child first, which exits).
boot() {
  systemd-nspawn -D "$TREE" -M "$MACHINE" -b --register=no --keep-unit --console=read-only \
    "${binds[@]}" >>"$LOG/nspawn.log" 2>&1 </dev/null &
  NSPAWN=$!
  LEADER=""
  local own p
  own=$(readlink /proc/self/ns/pid)
  for _ in $(seq 1 150); do
    for p in $(pgrep -P "$NSPAWN"); do
      if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ] && [ "$(readlink "/proc/$p/ns/pid")" != "$own" ]; then
        LEADER=$p
      fi
    done
    [ -n "$LEADER" ] && break
    sleep 0.2
  done
  [ -n "$LEADER" ] || die "the container did not start (see $LOG/nspawn.log)"
}
# SIGTERM to nspawn powers the container off (its systemd stops every unit); true when it ended.
poweroff() {
  kill -TERM "$NSPAWN"
  for _ in $(seq 1 60); do
    kill -0 "$NSPAWN" 2>/dev/null || return 0
    sleep 1
  done
  return 1
}
IN() { nsenter -t "$LEADER" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
boot
state=""
for _ in $(seq 1 60); do # until its systemd answers on its bus
  state=$(IN timeout 120 systemctl is-system-running --wait 2>/dev/null) && break
  [ -n "$state" ] && break
  sleep 1
done
echo "systemd-check: container $MACHINE booted (nspawn pid $NSPAWN, its PID 1 is host pid $LEADER): $state"

# --- checks -------------------------------------------------------------------
passed=0
failed=0
check() { # name ok detail
  if [ "$2" = 1 ]; then
    echo "PASS  $1: $3"
    passed=$((passed + 1))
  else
    echo "FAIL  $1: $3"
    failed=$((failed + 1))
  fi
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
healthy() { curl -sf -m 2 "http://127.0.0.1:$1/healthz" | grep -q '"status":"ok"'; }
# The instance's main PID in the container, or nothing when it has none: never 0, which
# kill and nsenter would take for "every process of my group".
mainpid() {
  local pid
  pid=$(IN systemctl show -p MainPID --value "helpdesk@$1")
  [ "${pid:-0}" -gt 0 ] 2>/dev/null && echo "$pid"
}

# Waits up to 120 s for both instances' /healthz; sets up (1 or empty) and active (systemctl's words).
both_up() {
  up=""
  for _ in $(seq 1 120); do
    healthy 3001 && healthy 3002 && up=1 && break
    sleep 1
  done
  active=$(IN systemctl is-active helpdesk@1 helpdesk@2 | tr '\n' ' ')
}

out=$(IN systemd-analyze verify "$UNIT" 2>&1)
rc=$?
check "systemd-analyze verify of the unit" "$([ $rc = 0 ] && [ -z "$out" ] && echo 1)" "${out:-no warnings}"

started=$(now)
IN systemctl enable --now helpdesk@1 helpdesk@2 >"$LOG/enable.log" 2>&1
both_up
restarts=$(IN systemctl show -p NRestarts --value helpdesk@1 helpdesk@2 | grep . | tr '\n' ' ')
check "enable --now: both instances active, /healthz ok on 3001 and 3002, no restart" \
  "$([ -n "$up" ] && [ "$active" = "active active " ] && [ "$restarts" = "0 0 " ] && echo 1)" \
  "${active}$([ -n "$up" ] && echo "healthy after" || echo "not healthy within") $(since "$started") s; NRestarts $restarts"

users=$(for i in 1 2; do p=$(mainpid $i) && IN ps -o user= -p "$p"; done | tr '\n' ' ')
check "User=: both run as helpdesk" "$([ "$users" = "helpdesk helpdesk " ] && echo 1)" "ps -o user: $users"

dir=$(IN stat -c '%U:%G %a' /var/lib/helpdesk 2>&1)
check "StateDirectory=: /var/lib/helpdesk made by systemd, helpdesk's, 0700" \
  "$([ "$dir" = "helpdesk:helpdesk 700" ] && echo 1)" "$dir"

# What the product may write, seen from its own mount namespace, as its user.
probe=$(p=$(mainpid 1) && IN nsenter -t "$p" -m setpriv --reuid=helpdesk --regid=helpdesk --init-groups sh -c '
  for d in /var/lib/helpdesk /tmp /opt/helpdesk /etc /usr; do
    if touch "$d/.systemd-check" 2>/dev/null; then rm -f "$d/.systemd-check"; echo "$d=rw"; else echo "$d=ro"; fi
  done' | tr '\n' ' ')
check "ProtectSystem=strict: only DATA_DIR and the private /tmp writable" \
  "$([ "$probe" = "/var/lib/helpdesk=rw /tmp=rw /opt/helpdesk=ro /etc=ro /usr=ro " ] && echo 1)" "$probe"

tsxcache=$(IN sh -c 'ls -d /tmp/systemd-private-*-helpdesk@1.service-*/tmp/tsx-* 2>/dev/null | wc -l')
check "PrivateTmp=: tsx's compile cache in the instance's own /tmp" "$([ "$tsxcache" -ge 1 ] && echo 1)" \
  "$tsxcache tsx cache folder(s) under /tmp/systemd-private-*-helpdesk@1.service-*"

upload=$(BOT_TOKEN=$BOT_TOKEN node --import tsx scripts/systemd-check/upload.ts 3001 2>&1 | tail -1)
stored=$(IN find /var/lib/helpdesk/files -type f 2>/dev/null | wc -l)
check "a write into DATA_DIR: an attachment uploaded, stored, read back" \
  "$(echo "$upload" | grep -q '"ok":true' && [ "$stored" -ge 1 ] && echo 1)" \
  "$(echo "$upload" | sed 's/.*"detail":"\([^"]*\)".*/\1/'); $stored file(s) under /var/lib/helpdesk/files"

IN journalctl -u 'helpdesk@*' --no-pager -o cat >"$LOG/journal-start.log"
denied=$(grep -ciE 'EROFS|EACCES|read-only file system|permission denied|could not build the Mini App' "$LOG/journal-start.log")
check "the journal: no write refused (EROFS, EACCES) since the start" "$([ "$denied" = 0 ] && echo 1)" \
  "$denied such line(s)"

ready=$(IN journalctl -u helpdesk@1 --no-pager -o cat | grep -c '"msg":"ready"')
status=$(IN systemctl status helpdesk@1 --no-pager -n 5 2>&1 | grep -c '"app":"helpdesk"')
check "journalctl -u / systemctl status show the product's logs" "$([ "$ready" -ge 1 ] && [ "$status" -ge 1 ] && echo 1)" \
  "journalctl -u helpdesk@1: $ready \"ready\" line(s); systemctl status: $status product line(s)"

# Restart=always: SIGKILL the main process.
old=$(mainpid 1)
restarts=$(IN systemctl show -p NRestarts --value helpdesk@1)
killed=$(now)
new=""
if [ -n "$old" ]; then
  IN kill -9 "$old"
  for _ in $(seq 1 100); do
    p=$(mainpid 1)
    [ -n "$p" ] && [ "$p" != "$old" ] && new=$p && break
    sleep 0.1
  done
fi
respawn=$(since "$killed")
back=""
for _ in $(seq 1 120); do
  [ -n "$new" ] && healthy 3001 && back=1 && break
  sleep 0.5
done
after=$(IN systemctl show -p NRestarts --value helpdesk@1)
check "Restart=always: kill -9 of helpdesk@1's main PID, back and healthy" \
  "$([ -n "$new" ] && [ -n "$back" ] && [ "$after" = $((restarts + 1)) ] && echo 1)" \
  "pid ${old:-none} → ${new:-none} after $respawn s (RestartSec=2), $([ -n "$back" ] && echo "/healthz ok after" || echo "no /healthz within") $(since "$killed") s, NRestarts $restarts → $after"

# A clean stop: SIGTERM, the graceful shutdown, exit 0 within TimeoutStopSec (30 s).
sleep 2
mark=$(IN date '+%Y-%m-%d %H:%M:%S')
stopping=$(now)
IN systemctl stop helpdesk@1
took=$(since "$stopping")
show=$(IN systemctl show -p Result -p ExecMainStatus -p ActiveState helpdesk@1 | tr '\n' ' ')
IN journalctl -u helpdesk@1 --since "$mark" --no-pager -o cat >"$LOG/journal-stop.log"
graceful=$(grep -c '"signal":"SIGTERM","msg":"shutting down"\|"msg":"stopped"' "$LOG/journal-stop.log")
check "systemctl stop helpdesk@1: graceful, exit 0, Result=success, within 30 s" \
  "$(echo "$show" | grep -q 'Result=success ExecMainStatus=0 ActiveState=inactive' && [ "$graceful" = 2 ] && awk -v t="$took" 'BEGIN { exit !(t < 30) }' && echo 1)" \
  "${took} s; ${show}journal: $graceful of 2 lines (\"shutting down\" on SIGTERM, \"stopped\")"
other=""
healthy 3002 && other=1
check "helpdesk@2 still answers while helpdesk@1 is stopped" "$other" "/healthz on 3002"

# A boot with the units enabled: power off (helpdesk@2 stops as systemd stops it), boot again.
IN systemctl start helpdesk@1
for _ in $(seq 1 60); do healthy 3001 && break; sleep 1; done
sleep 1
mark=$(date '+%Y-%m-%d %H:%M:%S')
off=""
poweroff && off=yes
# The container is off: its journal read from the host.
journalctl -D "$TREE/var/log/journal/$(cat "$TREE/etc/machine-id")" --since "$mark" \
  -u helpdesk@1.service -u helpdesk@2.service --no-pager -o cat >"$LOG/journal-poweroff.log" 2>&1
stopped=$(grep -c '"msg":"stopped"' "$LOG/journal-poweroff.log")
failures=$(grep -c 'Failed with result' "$LOG/journal-poweroff.log")
check "power-off: both instances stop gracefully" "$([ -n "$off" ] && [ "$stopped" = 2 ] && [ "$failures" = 0 ] && echo 1)" \
  "container off: ${off:-no}; \"stopped\" logged $stopped of 2 times, $failures failed stop(s)"
booted=$(now)
boot
both_up
check "boot with the units enabled (WantedBy=multi-user.target): both start" \
  "$([ -n "$up" ] && [ "$active" = "active active " ] && echo 1)" "${active}$([ -n "$up" ] && echo "healthy" || echo "not healthy within") $(since "$booted") s after nspawn started"

# --- versions, summary --------------------------------------------------------
echo
echo "Versions: $(IN systemctl --version | head -1) in Debian $(cat "$TREE/etc/debian_version") (systemd-nspawn $(systemd-nspawn --version | head -1 | cut -d' ' -f2) on the host), Node $(node -v), $(psql "${PG[@]}" -Atc 'show server_version' | sed 's/^/PostgreSQL /')"
echo "Logs: $LOG"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
