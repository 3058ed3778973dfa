#!/usr/bin/env bash
# Build, test and benchmark entry point.
#
#   ./build.sh test [dotnet test args...]   install missing Debian packages, start PostgreSQL 15,
#                                           Radicale 3.1 and Xandikos 0.2 on 127.0.0.1, run
#                                           `dotnet test`, stop the servers, print
#                                           "N passed, N failed, N skipped".
#   ./build.sh servers                      start the same servers, print `export ...` lines for
#                                           running tests from an IDE, stay up until Ctrl-C.
#   ./build.sh bench [benchmark args...]    run the BenchmarkDotNet project in Release.
#
# Environment:
#   CI=true                 a server that cannot start is a hard failure (its log is printed).
#                           Outside CI it is a warning and its variable stays unset (tests skip).
#   CONNECTOR_TEST_TARGET   what `dotnet test` runs (default: Connector.slnx).
#   CONNECTOR_TEST_KEEP=1   keep the temporary server/result directory after the run.
#   CONNECTOR_TEST_STARTUP_TIMEOUT   seconds to wait for each server (default 60).
#   CONNECTOR_TEST_RADICALE_LOG_LEVEL  Radicale's log level (default warning; "debug" logs every request).
#
# Variables exported to the tests (read by tests/Connector.Testing/TestServerEnvironment.cs):
#   CONNECTOR_TEST_POSTGRES           Npgsql connection string:
#                                     Host=127.0.0.1;Port=N;Username=postgres;Password=...;Database=connector_test
#   CONNECTOR_TEST_RADICALE_URL       http://127.0.0.1:N/   (principal of user "test": /test/)
#   CONNECTOR_TEST_RADICALE_USER      test
#   CONNECTOR_TEST_RADICALE_PASSWORD  test
#   CONNECTOR_TEST_XANDIKOS_URL       http://127.0.0.1:N/   (route prefix "/"; no authentication;
#                                     current-user-principal /test/, with a default calendar at
#                                     /test/calendars/calendar/ and address book at
#                                     /test/contacts/addressbook/)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
SCRIPT="$(pwd)/$(basename "${BASH_SOURCE[0]}")"

PG_BIN=/usr/lib/postgresql/15/bin
SYS_PYTHON=/usr/bin/python3   # Debian's radicale/xandikos modules live here, not in a pyenv python
STARTUP_TIMEOUT=${CONNECTOR_TEST_STARTUP_TIMEOUT:-60}
DEBIAN_PACKAGES=(postgresql radicale xandikos apache2-utils)

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf 'build.sh: %s\n' "$*" >&2; }
is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }
is_root() { [[ "$(id -u)" == "0" ]]; }

# ---------------------------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------------------------
ensure_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "WARNING: not a Debian system; not installing ${DEBIAN_PACKAGES[*]}"
        return 0
    fi
    local missing=() p
    for p in "${DEBIAN_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    if ! is_root; then
        say "WARNING: missing Debian packages: ${missing[*]} (not root, cannot apt-get install)"
        return 0
    fi
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Server helpers
# ---------------------------------------------------------------------------------------------
TEST_ROOT=""
SERVER_PIDS=()     # radicale / xandikos python processes
PG_DATA=""         # set once PostgreSQL was started
SLEEPER_PID=""     # `./build.sh servers` idles in this sleep
RUN_AS=()          # prefix to run PostgreSQL binaries as the postgres user when we are root

python_any() {
    if [[ -x "$SYS_PYTHON" ]]; then echo "$SYS_PYTHON"; else command -v python3 || true; fi
}

free_port() {
    local py
    py=$(python_any)
    if [[ -n "$py" ]]; then
        "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    else
        # No python at all: pick a random high port that nothing listens on.
        local port
        while :; do
            port=$((20000 + RANDOM % 30000))
            (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
        done
    fi
}

# Succeeds once an HTTP server answers anything at all on 127.0.0.1:$1.
http_answers() {
    "$SYS_PYTHON" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
PY
}

# wait_http NAME PID PORT LOG
wait_http() {
    local name=$1 pid=$2 port=$3 log=$4 deadline=$((SECONDS + STARTUP_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "$name exited during start-up"
            return 1
        fi
        http_answers "$port" && return 0
        sleep 0.1
    done
    say "$name did not answer on 127.0.0.1:$port within ${STARTUP_TIMEOUT}s"
    return 1
}

# server_failed NAME LOG : hard failure under CI, warning otherwise.
server_failed() {
    local name=$1 log=${2:-}
    if [[ -n "$log" && -f "$log" ]]; then
        say "----- $name log ($log) -----"
        tail -n 100 "$log" >&2 || true
        say "----- end of $name log -----"
    fi
    if is_ci; then
        say "ERROR: $name could not be started (CI=true: this is a failure, not a skip)"
        exit 1
    fi
    say "WARNING: $name could not be started; tests that need it will be skipped"
}

start_postgres() {
    if [[ ! -x "$PG_BIN/initdb" ]]; then
        server_failed "PostgreSQL 15 (not installed: no $PG_BIN/initdb)" ""
        return 0
    fi
    local dir="$TEST_ROOT/postgres" log="$TEST_ROOT/postgres.log" port password
    port=$(free_port)
    password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
    mkdir -p "$dir"
    printf '%s\n' "$password" >"$dir/pwfile"
    if is_root; then
        if ! id postgres >/dev/null 2>&1; then
            server_failed "PostgreSQL (no postgres user)" ""
            return 0
        fi
        chown -R postgres:postgres "$dir"
        RUN_AS=(runuser -u postgres --)
    fi
    : >"$log"
    chmod 666 "$log"
    if ! "${RUN_AS[@]}" "$PG_BIN/initdb" --no-sync -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >>"$log" 2>&1; then
        server_failed "PostgreSQL (initdb)" "$log"
        return 0
    fi
    cat >>"$dir/data/postgresql.conf" <<EOF

# Throwaway test cluster (build.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
    PG_DATA="$dir/data"
    # pg_ctl's own messages and the server's log both append to one file, on purpose.
    # shellcheck disable=SC2094
    if ! "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$log" -w -t "$STARTUP_TIMEOUT" start >>"$log" 2>&1; then
        server_failed "PostgreSQL" "$log"
        return 0
    fi
    if ! PGPASSWORD="$password" "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
        -c 'CREATE DATABASE connector_test' >>"$log" 2>&1; then
        server_failed "PostgreSQL (CREATE DATABASE over TCP)" "$log"
        return 0
    fi
    export CONNECTOR_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=connector_test"
    say "PostgreSQL 15 on 127.0.0.1:$port"
}

start_radicale() {
    if [[ ! -x "$SYS_PYTHON" ]] || ! "$SYS_PYTHON" -c 'import radicale' 2>/dev/null; then
        server_failed "Radicale (not installed)" ""
        return 0
    fi
    local dir="$TEST_ROOT/radicale" log="$TEST_ROOT/radicale.log" port
    port=$(free_port)
    mkdir -p "$dir/collections"
    # Radicale 3.1 supports htpasswd encryption plain, md5 (APR1, via passlib) and bcrypt (needs
    # python3-bcrypt, not installed by default); "autodetect" only exists from 3.2 on.
    if command -v htpasswd >/dev/null 2>&1; then
        htpasswd -bcm "$dir/users" test test 2>/dev/null
    else
        "$SYS_PYTHON" -c 'from passlib.hash import apr_md5_crypt; print("test:" + apr_md5_crypt.hash("test"))' >"$dir/users"
    fi
    # Users of the worker's end-to-end tests (one per test, so their collections never meet):
    # wk1..wk4, password "wk-<user>-Secret-9" (distinctive, so a log search for it means something).
    local wk
    for wk in wk1 wk2 wk3 wk4; do
        if command -v htpasswd >/dev/null 2>&1; then
            htpasswd -bm "$dir/users" "$wk" "wk-$wk-Secret-9" 2>/dev/null
        else
            "$SYS_PYTHON" -c "from passlib.hash import apr_md5_crypt; print('$wk:' + apr_md5_crypt.hash('wk-$wk-Secret-9'))" >>"$dir/users"
        fi
    done
    cat >"$dir/config" <<EOF
[server]
hosts = 127.0.0.1:$port

[auth]
type = htpasswd
htpasswd_filename = $dir/users
htpasswd_encryption = md5
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = $dir/collections

[web]
type = none

[logging]
level = ${CONNECTOR_TEST_RADICALE_LOG_LEVEL:-warning}
EOF
    # -C replaces the default config paths, so Debian's /etc/radicale/config is not read.
    "$SYS_PYTHON" -m radicale -C "$dir/config" >"$log" 2>&1 </dev/null &
    local pid=$!
    SERVER_PIDS+=("$pid")
    if ! wait_http "Radicale" "$pid" "$port" "$log"; then
        server_failed "Radicale" "$log"
        return 0
    fi
    export CONNECTOR_TEST_RADICALE_URL="http://127.0.0.1:$port/"
    export CONNECTOR_TEST_RADICALE_USER=test
    export CONNECTOR_TEST_RADICALE_PASSWORD=test
    say "Radicale on 127.0.0.1:$port"
}

start_xandikos() {
    if [[ ! -x "$SYS_PYTHON" ]] || ! "$SYS_PYTHON" -c 'import xandikos.web' 2>/dev/null; then
        server_failed "Xandikos (not installed)" ""
        return 0
    fi
    local dir="$TEST_ROOT/xandikos" log="$TEST_ROOT/xandikos.log" port
    port=$(free_port)
    mkdir -p "$dir"
    # --defaults creates the principal with calendars/calendar and contacts/addressbook.
    "$SYS_PYTHON" -m xandikos.web -d "$dir" --defaults --current-user-principal /test/ \
        --route-prefix / -l 127.0.0.1 -p "$port" >"$log" 2>&1 </dev/null &
    local pid=$!
    SERVER_PIDS+=("$pid")
    if ! wait_http "Xandikos" "$pid" "$port" "$log"; then
        server_failed "Xandikos" "$log"
        return 0
    fi
    export CONNECTOR_TEST_XANDIKOS_URL="http://127.0.0.1:$port/"
    say "Xandikos on 127.0.0.1:$port"
}

stop_servers() {
    local pid
    if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
        "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
    for pid in "${SERVER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
    PG_DATA=""
}

cleanup() {
    local rc=$?
    if [[ -n "$SLEEPER_PID" ]]; then kill "$SLEEPER_PID" 2>/dev/null || true; fi
    stop_servers
    if [[ -n "$TEST_ROOT" && -d "$TEST_ROOT" ]]; then
        if [[ "${CONNECTOR_TEST_KEEP:-}" == "1" ]]; then
            say "kept $TEST_ROOT"
        else
            rm -rf "$TEST_ROOT"
        fi
    fi
    return "$rc"
}

start_servers() {
    TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/connector-test.XXXXXX")
    chmod 711 "$TEST_ROOT"   # the postgres user must reach its data directory inside
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    unset CONNECTOR_TEST_POSTGRES CONNECTOR_TEST_RADICALE_URL CONNECTOR_TEST_RADICALE_USER \
        CONNECTOR_TEST_RADICALE_PASSWORD CONNECTOR_TEST_XANDIKOS_URL
    local t0=$SECONDS
    ensure_packages
    local t1=$SECONDS
    start_postgres
    start_radicale
    start_xandikos
    say "servers ready in $((SECONDS - t1))s (package check/install $((t1 - t0))s)"
}

# ---------------------------------------------------------------------------------------------
# TRX summary
# ---------------------------------------------------------------------------------------------
# Prints "passed failed skipped" summed over the Counters element of every TRX file in $1.
# VSTest's TRX counts a skipped test in total but in neither executed nor notExecuted, so
# skipped = total - executed; error, timeout and aborted results count as failed.
trx_counter() { # trx_counter NAME COUNTERS-ELEMENT
    local n
    n=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
    echo "${n:-0}"
}

sum_trx() {
    local passed=0 failed=0 skipped=0 f counters total executed
    while IFS= read -r -d '' f; do
        counters=$(tr -d '\r\n' <"$f" | grep -o '<Counters [^>]*>' | head -n 1) || continue
        total=$(trx_counter total "$counters")
        executed=$(trx_counter executed "$counters")
        passed=$((passed + $(trx_counter passed "$counters")))
        failed=$((failed + $(trx_counter failed "$counters") + $(trx_counter error "$counters") + $(trx_counter timeout "$counters") + $(trx_counter aborted "$counters")))
        skipped=$((skipped + total - executed))
    done < <(find "$1" -name '*.trx' -print0 2>/dev/null)
    echo "$passed $failed $skipped"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
cmd_test() {
    local target=${CONNECTOR_TEST_TARGET:-Connector.slnx} t0=$SECONDS
    start_servers
    local results="$TEST_ROOT/results" rc=0
    mkdir -p "$results"
    say "dotnet test $target"
    dotnet test "$target" --logger "trx" --logger "console;verbosity=minimal" \
        --results-directory "$results" -v minimal "$@" || rc=$?
    stop_servers
    if is_ci; then dotnet build-server shutdown >/dev/null 2>&1 || true; fi

    local passed failed skipped
    read -r passed failed skipped < <(sum_trx "$results")
    say "dotnet test exit code $rc; total wall time $((SECONDS - t0))s"
    echo
    echo "$passed passed, $failed failed, $skipped skipped"
    if ((rc != 0)); then exit "$rc"; fi
    if ((failed > 0)); then exit 1; fi
    if ((passed + failed == 0)); then
        say "ERROR: no test ran"
        exit 1
    fi
    return 0
}

cmd_servers() {
    start_servers
    echo "# Test servers are up; paste into your shell or IDE run configuration:"
    local v
    for v in CONNECTOR_TEST_POSTGRES CONNECTOR_TEST_RADICALE_URL CONNECTOR_TEST_RADICALE_USER \
        CONNECTOR_TEST_RADICALE_PASSWORD CONNECTOR_TEST_XANDIKOS_URL; do
        if [[ -n "${!v:-}" ]]; then printf "export %s='%s'\n" "$v" "${!v}"; fi
    done
    echo "# Press Ctrl-C to stop them (data in $TEST_ROOT is removed)."
    while :; do
        sleep 3600 &
        SLEEPER_PID=$!
        wait "$SLEEPER_PID" || true
    done
}

cmd_bench() {
    exec dotnet run -c Release --project bench/Connector.Benchmarks -- "$@"
}

usage() {
    sed -n '2,10p' "$SCRIPT" | sed 's/^# \{0,1\}//'
}

main() {
    local cmd=${1:-}
    (($# > 0)) && shift
    case "$cmd" in
        test) cmd_test "$@" ;;
        servers) cmd_servers "$@" ;;
        bench) cmd_bench "$@" ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
