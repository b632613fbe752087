#!/usr/bin/env bash
# Side-by-side delivery benchmark, measured in one run on this machine (see bench/README.md):
#   (a) raw       Postfix smtp-source -> smtp-sink: the physical reference, messages/s
#   (b) makegood  `makegood run` (snapshot, credits, outbox, send) of M accounts from PostgreSQL -> smtp-sink
#   (c) naive     a plain Spring Batch job (cursor -> MimeMessageHelper -> MimeMessageItemWriter, one thread)
# Usage: bench/run.sh [--accounts N] [--connections C] [--million] [--heap 256m]
# Everything it creates (PostgreSQL cluster, specs, logs, results.json) lives under bench/out/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
OUT="$BENCH/out"
ACCOUNTS=100000
CONNECTIONS=4
MILLION=false
HEAP=256m

usage() {
	sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

while [ $# -gt 0 ]; do
	case "$1" in
		--accounts) ACCOUNTS=$2; shift 2 ;;
		--accounts=*) ACCOUNTS=${1#*=}; shift ;;
		--connections) CONNECTIONS=$2; shift 2 ;;
		--connections=*) CONNECTIONS=${1#*=}; shift ;;
		--million) MILLION=true; shift ;;
		--heap) HEAP=$2; shift 2 ;;
		--heap=*) HEAP=${1#*=}; shift ;;
		-h|--help) usage 0 ;;
		*) echo "Unknown option $1" >&2; usage 2 ;;
	esac
done
case "$ACCOUNTS$CONNECTIONS" in *[!0-9]*) echo "--accounts and --connections take whole numbers" >&2; exit 2 ;; esac

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# ---------------------------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------------------------
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
	log "Installing $*"
	# "No configuration": smtp-sink and smtp-source are all we need; the Postfix mail system is never started
	echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q "$@" >&2; then
		as_root apt-get -o DPkg::Lock::Timeout=900 update -q >&2
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q "$@" >&2
	fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

ensure_tools() {
	local missing=()
	{ [ -x /usr/sbin/smtp-sink ] && [ -x /usr/sbin/smtp-source ]; } || missing+=(postfix)
	[ -x /usr/bin/time ] || missing+=(time)
	{ [ -n "$(pg_bin)" ] && command -v psql >/dev/null; } || missing+=(postgresql)
	command -v mvn >/dev/null || missing+=(maven)
	command -v jstat >/dev/null || missing+=(openjdk-17-jdk-headless)
	if [ ${#missing[@]} -gt 0 ]; then
		apt_install "${missing[@]}"
	fi
	PG_BIN=$(pg_bin)
}

# A port nobody listens on (checked by connecting; the window until our server binds it is negligible here).
free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
}

wait_for_port() {
	local i
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "Nothing listens on port $1" >&2
	return 1
}

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL: a throwaway cluster under bench/out/pg, owned by the postgres user when we are root
# ---------------------------------------------------------------------------------------------------------------
PG_PORT=""
PG_DATA="$OUT/pg/data"

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
	PG_PORT=$(free_port)
	rm -rf "$OUT/pg"
	mkdir -p "$OUT/pg/run"
	if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$OUT/pg"; fi
	log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
	as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$OUT/pg/initdb.log" 2>&1
	# Stock settings except the connection limits; durability (fsync, synchronous_commit) stays on, as in production.
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$OUT/pg/postgres.log" -w -t 60 start \
		-o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$OUT/pg/run -c max_connections=100 -c shared_buffers=256MB" >/dev/null
}

stop_postgres() {
	[ -n "$PG_PORT" ] && [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

psql_db() {
	local db=$1
	shift
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}

# M accounts, each with one or two failed playbacks inside the outage window (like jobs/examples/streaming-outage.yml).
load_accounts() {
	local db=$1 m=$2
	psql_db postgres -c "drop database if exists $db" -c "create database $db"
	psql_db "$db" <<SQL
create table accounts (
  account_id varchar(20) primary key, email varchar(320), name varchar(200), plan varchar(50),
  currency char(3), monthly_fee numeric(10,2), locale varchar(35));
create table playback_failures (
  account_id varchar(20) not null, attempted_at timestamp not null, title varchar(200));
insert into accounts
select 'A' || lpad(i::text, 9, '0'),
       'viewer' || i || '@example.com',
       (array['Ana','Ben','Chloé','Dmitri','Emma','Farid','Grace','Hiro','Inés','Jonas','Kai','Léa','Mateo','Noor',
              'Olivia','Pål','Quinn','Rosa','Sven','Zoë'])[1 + i % 20] || ' ' ||
       (array['Andersen','Brown','Costa','Dubois','Eriksson','García','Hughes','Ito','Jensen','Kowalski','Müller',
              'Novak','O''Brien','Petrov','Rossi','Smith','Tanaka'])[1 + i % 17],
       (array['Basic','Standard','Premium','Basic','Standard','Premium'])[1 + i % 6],
       (array['USD','USD','USD','EUR','EUR','EUR'])[1 + i % 6],
       (array[7.99, 13.99, 17.99, 7.99, 12.99, 17.99])[1 + i % 6],
       (array['en-US','en-US','en-US','de-DE','fr-FR','es-ES'])[1 + i % 6]
from generate_series(1, $m) as g(i);
insert into playback_failures
select account_id, timestamp '2026-11-28 18:10:00' + (row_number() over ()) % 19000 * interval '1 second', 'Stranger Things'
from accounts;
insert into playback_failures
select account_id, timestamp '2026-11-28 22:00:00', 'Stranger Things' from accounts where right(account_id, 1) in ('3', '7');
create index playback_failures_account_ix on playback_failures (account_id, attempted_at);
vacuum analyze accounts;
vacuum analyze playback_failures;
SQL
}

# The example spec, with this run's id and no delivery section, so the throttle is whatever the command line says.
write_spec() {
	local file=$1 id=$2 expected=$3
	cat >"$file" <<YAML
id: $id
title: Benchmark of $id
# every loaded account failed to play in the window; the guard refuses a large send that does not say so
guard:
  expected: $expected
  tolerance: 1%
window:
  start: 2026-11-28T18:05:00Z
  end: 2026-11-28T23:40:00Z
audience:
  source: sql
  query: |
    select a.account_id, a.email, a.name, a.plan, a.currency, a.monthly_fee, a.locale
    from accounts a
    where exists (
      select 1
      from playback_failures f
      where f.account_id = a.account_id
        and f.attempted_at between :windowStart and :windowEnd
    )
compensation:
  kind: percent-of-fee
  percent: 3
  apply: automatic
message:
  template: streaming-outage
  from: "Example Streaming <care@example.com>"
  support-phone: "1-866-000-0000"
YAML
}

# ---------------------------------------------------------------------------------------------------------------
# smtp-sink: accepts and discards everything, as fast as it can
# ---------------------------------------------------------------------------------------------------------------
SINK_PID=""
SINK_PORT=""

start_sink() {
	SINK_PORT=$(free_port)
	local user=()
	if [ "$(id -u)" -eq 0 ]; then user=(-u nobody); fi
	/usr/sbin/smtp-sink "${user[@]}" "127.0.0.1:$SINK_PORT" 1024 >"$OUT/smtp-sink.log" 2>&1 &
	SINK_PID=$!
	wait_for_port "$SINK_PORT"
	log "smtp-sink on 127.0.0.1:$SINK_PORT"
}

cleanup() {
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
	stop_postgres
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------------------------
# Peak RSS in MiB from a `/usr/bin/time -v` report.
rss_mib() { awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

# From a -Xlog:gc log: the largest heap in use before any collection (peak) and after one (peak live set),
# falling back to the heap in use at exit when no collection happened at all.
heap_mib() {
	local log=$1 which=$2
	awk -v which="$which" '
		match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/) {
			split(substr($0, RSTART, RLENGTH), p, /M->|M\(/)
			if (p[1] + 0 > before) before = p[1] + 0
			if (p[2] + 0 > after) after = p[2] + 0
		}
		/used [0-9]+K/ && exitUsed == 0 { match($0, /used [0-9]+K/); exitUsed = substr($0, RSTART + 5, RLENGTH - 6) / 1024 }
		END {
			if (before == 0) { before = exitUsed; after = exitUsed }
			printf "%.0f", (which == "peak" ? before : after)
		}' "$log"
}

# Extracts a Spring Boot jar and trains a class-data archive for it (as ./makegood does for makegood): the
# training run starts the application and exits once its context is ready.
cds_prepare() {
	local jar=$1 dir=$2
	shift 2
	rm -rf "$dir"
	java -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
	(cd "$dir" && java -XX:ArchiveClassesAtExit="$dir/app.jsa" -Dspring.context.exit=onRefresh \
		-jar "$dir/$(basename "$jar")" "$@" >"$dir/training.log" 2>&1) || true
}

cds_option() {
	[ -f "$1/app.jsa" ] && echo "-XX:SharedArchiveFile=$1/app.jsa" || log "no class-data archive in $1; see its training.log"
}

# Sets RAW_SECONDS to the median of $2 runs of smtp-source over $1 messages, RAW_RUNS to all of them. A 100k run
# takes ~7 s, where one run's figure has varied by a third from run to run; the median of three holds better.
run_raw() {
	local m=$1 runs=$2 i start end times=()
	for ((i = 1; i <= runs; i++)); do
		log "(a) raw: smtp-source -d -s $CONNECTIONS -m $m -l 1500 ($i of $runs)"
		start=$(now)
		/usr/sbin/smtp-source -d -s "$CONNECTIONS" -m "$m" -l 1500 -f bench@example.com -t sink@example.com \
			"127.0.0.1:$SINK_PORT" >"$OUT/raw-$m-$i.log" 2>&1
		end=$(now)
		times+=("$(calc "$end - $start" 3)")
	done
	RAW_RUNS=$(printf '%s\n' "${times[@]}" | sort -n | paste -sd' ')
	RAW_SECONDS=$(awk '{ print $(int((NF + 1) / 2)) }' <<<"$RAW_RUNS")
}

# Sets MG_SECONDS, MG_STEPS ("snapshot=..s grant=..s deliver=..s"), MG_DELIVER_SECONDS, MG_RSS, MG_HEAP, MG_LIVE.
run_makegood() {
	local m=$1 source=$2 tag=$3
	local dir="$OUT/makegood-$tag" db="${2}_makegood"
	rm -rf "$dir"
	mkdir -p "$dir"
	psql_db postgres -c "drop database if exists $db" -c "create database $db"
	write_spec "$dir/spec.yml" "bench-$tag" "$m"
	log "(b) makegood run of $m accounts, $CONNECTIONS connections, unthrottled, -Xmx$HEAP (log: $dir/run.log)"
	local pool=$((CONNECTIONS + 6))
	local start end code=0
	start=$(now)
	# launched as ./makegood launches it: the extracted jar with its class-data archive
	(cd "$dir" && MAKEGOOD_JAVA_OPTS="-Xmx$HEAP -Duser.timezone=UTC -Xlog:gc,gc+heap+exit:file=$dir/gc.log:uptime" \
		/usr/bin/time -v -o "$dir/time.txt" "$ROOT/makegood" run "$dir/spec.yml" \
		--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/$db" \
		--spring.datasource.username=postgres --spring.datasource.password= \
		--spring.datasource.hikari.maximum-pool-size="$pool" \
		--makegood.source.url="jdbc:postgresql://127.0.0.1:$PG_PORT/$source" --makegood.source.username=postgres \
		--makegood.source.password= \
		--makegood.templates="$ROOT/jobs/templates" --makegood.reports="$dir/reports" \
		--makegood.delivery.transport=smtp --spring.mail.host=127.0.0.1 --spring.mail.port="$SINK_PORT" \
		--makegood.delivery.rate=0 --makegood.delivery.connections="$CONNECTIONS" \
		--makegood.safety.approval-above=0 >"$dir/run.log" 2>&1) || code=$?
	end=$(now)
	if [ "$code" -ne 0 ]; then
		tail -30 "$dir/run.log" >&2
		echo "makegood run exited $code; see $dir/run.log" >&2
		exit 1
	fi
	local sent
	sent=$(psql_db "$db" -At -c "select count(*) from mg_outbox where status = 'SENT'")
	if [ "$sent" -ne "$m" ]; then
		psql_db "$db" -c "select status, count(*) from mg_outbox group by status" >&2
		echo "makegood sent $sent of $m messages" >&2
		exit 1
	fi
	MG_SECONDS=$(calc "$end - $start" 3)
	MG_STEPS=$(psql_db "$db" -At -F= -c "select step_name, round(extract(epoch from end_time - start_time)::numeric, 2) || 's'
		from batch_step_execution order by step_execution_id" | tr '\n' ' ')
	MG_DELIVER_SECONDS=$(psql_db "$db" -At -c "select extract(epoch from end_time - start_time)
		from batch_step_execution where step_name = 'deliver' order by step_execution_id desc limit 1")
	MG_RSS=$(rss_mib "$dir/time.txt")
	MG_HEAP=$(heap_mib "$dir/gc.log" peak)
	MG_LIVE=$(heap_mib "$dir/gc.log" live)
}

run_naive() {
	local m=$1 db=$2
	local dir="$OUT/naive"
	rm -rf "$dir"
	mkdir -p "$dir"
	log "(c) naive Spring Batch job over $m accounts, one thread (log: $dir/run.log)"
	local start end code=0
	local args=(--bench.accounts.url="jdbc:postgresql://127.0.0.1:$PG_PORT/$db" --bench.accounts.username=postgres
		--spring.mail.host=127.0.0.1 --spring.mail.port="$SINK_PORT")
	# the same launch as (b): extracted, with a class-data archive, so start-up costs both the same
	local app="$OUT/naive-app"
	cds_prepare "$BENCH/naive/target/naive-mailer.jar" "$app" "${args[@]}"
	start=$(now)
	/usr/bin/time -v -o "$dir/time.txt" java -Xmx"$HEAP" -Duser.timezone=UTC \
		-Xlog:gc,gc+heap+exit:file="$dir/gc.log":uptime \
		$(cds_option "$app") -jar "$app/naive-mailer.jar" "${args[@]}" >"$dir/run.log" 2>&1 || code=$?
	end=$(now)
	if [ "$code" -ne 0 ]; then
		tail -30 "$dir/run.log" >&2
		echo "naive job exited $code; see $dir/run.log" >&2
		exit 1
	fi
	local line written
	line=$(grep '^NAIVE ' "$dir/run.log" | tail -1)
	written=$(sed 's/.*written=\([0-9]*\).*/\1/' <<<"$line")
	if [ "$written" -ne "$m" ]; then
		echo "naive job sent $written of $m messages" >&2
		exit 1
	fi
	NAIVE_SECONDS=$(calc "$end - $start" 3)
	NAIVE_STEP_SECONDS=$(sed 's/.*step_seconds=\([0-9.]*\).*/\1/' <<<"$line")
	NAIVE_RSS=$(rss_mib "$dir/time.txt")
	NAIVE_HEAP=$(heap_mib "$dir/gc.log" peak)
	NAIVE_LIVE=$(heap_mib "$dir/gc.log" live)
}

# ---------------------------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------------------------
mkdir -p "$OUT"
ensure_tools

log "Building makegood (mvn -B -q -DskipTests clean package)"
(cd "$ROOT" && mvn -B -q -DskipTests clean package >&2)
"$ROOT/makegood" help >/dev/null # prepares its class-data archive outside the timed run
log "Building the naive baseline (bench/naive)"
(cd "$BENCH/naive" && mvn -B -q -DskipTests clean package >&2)

start_postgres
start_sink

DB="bench_$ACCOUNTS"
log "Loading $ACCOUNTS accounts into $DB"
load_accounts "$DB" "$ACCOUNTS"

run_raw "$ACCOUNTS" 3
run_makegood "$ACCOUNTS" "$DB" "$ACCOUNTS"
run_naive "$ACCOUNTS" "$DB"

RAW_RATE=$(calc "$ACCOUNTS / $RAW_SECONDS")
MG_RATE=$(calc "$ACCOUNTS / $MG_SECONDS")
MG_DELIVER_RATE=$(calc "$ACCOUNTS / $MG_DELIVER_SECONDS")
NAIVE_RATE=$(calc "$ACCOUNTS / $NAIVE_SECONDS")
NAIVE_STEP_RATE=$(calc "$ACCOUNTS / $NAIVE_STEP_SECONDS")
RATIO_RAW=$(calc "$MG_RATE / $RAW_RATE" 3)
RATIO_NAIVE=$(calc "$MG_RATE / $NAIVE_RATE" 2)
RATIO_RAW_STEP=$(calc "$MG_DELIVER_RATE / $RAW_RATE" 3)
RATIO_NAIVE_STEP=$(calc "$MG_DELIVER_RATE / $NAIVE_STEP_RATE" 2)

M_SECONDS="" M_RATE="" M_RSS="" M_HEAP="" M_LIVE="" M_DELIVER_RATE="" M_STEPS="" M_RAW_SECONDS="" M_RAW_RATE=""
M_RATIO_RAW="" M_RATIO_NAIVE=""
if $MILLION && [ "$ACCOUNTS" -eq 1000000 ]; then
	M_SECONDS=$MG_SECONDS M_RATE=$MG_RATE M_DELIVER_RATE=$MG_DELIVER_RATE M_RSS=$MG_RSS M_HEAP=$MG_HEAP M_LIVE=$MG_LIVE M_STEPS=$MG_STEPS
	M_RAW_SECONDS=$RAW_SECONDS
elif $MILLION; then
	MDB="bench_1000000"
	log "Loading 1000000 accounts into $MDB"
	load_accounts "$MDB" 1000000
	# the 1M ratio against raw is taken at the same size; one 1M run lasts as long as ten 100k runs
	SMALL_RAW=("$RAW_SECONDS" "$RAW_RUNS")
	run_raw 1000000 1
	M_RAW_SECONDS=$RAW_SECONDS
	RAW_SECONDS=${SMALL_RAW[0]} RAW_RUNS=${SMALL_RAW[1]}
	SMALL=("$MG_SECONDS" "$MG_STEPS" "$MG_DELIVER_SECONDS" "$MG_RSS" "$MG_HEAP" "$MG_LIVE")
	run_makegood 1000000 "$MDB" 1000000
	M_SECONDS=$MG_SECONDS M_RSS=$MG_RSS M_HEAP=$MG_HEAP M_LIVE=$MG_LIVE M_STEPS=$MG_STEPS
	M_RATE=$(calc "1000000 / $MG_SECONDS")
	M_DELIVER_RATE=$(calc "1000000 / $MG_DELIVER_SECONDS")
	MG_SECONDS=${SMALL[0]} MG_STEPS=${SMALL[1]} MG_DELIVER_SECONDS=${SMALL[2]} MG_RSS=${SMALL[3]} MG_HEAP=${SMALL[4]} MG_LIVE=${SMALL[5]}
fi
if $MILLION; then
	M_RAW_RATE=$(calc "1000000 / $M_RAW_SECONDS")
	M_RATIO_RAW=$(calc "$M_RATE / $M_RAW_RATE" 3)
	M_RATIO_NAIVE=$(calc "$M_RATE / $NAIVE_RATE" 2)
fi

{
	echo
	echo "Delivery benchmark: $ACCOUNTS accounts/messages, $CONNECTIONS connections, $(nproc) cores, -Xmx$HEAP, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	printf '%-34s %9s %10s %14s %12s %11s %11s\n' "" "messages" "wall s" "per s (wall)" "per s (send)" "RSS MiB" "heap MiB"
	printf '%-34s %9s %10s %14s %12s %11s %11s\n' "(a) raw smtp-source -> smtp-sink" "$ACCOUNTS" "$RAW_SECONDS" "$RAW_RATE" "-" "-" "-"
	printf '%-34s %9s %10s %14s %12s %11s %11s\n' "(b) makegood run" "$ACCOUNTS" "$MG_SECONDS" "$MG_RATE" "$MG_DELIVER_RATE" "$MG_RSS" "$MG_HEAP/$MG_LIVE"
	printf '%-34s %9s %10s %14s %12s %11s %11s\n' "(c) naive Spring Batch, 1 thread" "$ACCOUNTS" "$NAIVE_SECONDS" "$NAIVE_RATE" "$NAIVE_STEP_RATE" "$NAIVE_RSS" "$NAIVE_HEAP/$NAIVE_LIVE"
	if $MILLION; then
		printf '%-34s %9s %10s %14s %12s %11s %11s\n' "(a) raw, 1M" "1000000" "$M_RAW_SECONDS" "$M_RAW_RATE" "-" "-" "-"
		printf '%-34s %9s %10s %14s %12s %11s %11s\n' "(b) makegood run, 1M" "1000000" "$M_SECONDS" "$M_RATE" "$M_DELIVER_RATE" "$M_RSS" "$M_HEAP/$M_LIVE"
	fi
	echo
	echo "(a) is the median of three runs of smtp-source: $RAW_RUNS s"
	echo "b/a = $RATIO_RAW (send step alone: $RATIO_RAW_STEP)    b/c = $RATIO_NAIVE (send steps alone: $RATIO_NAIVE_STEP)"
	$MILLION && echo "at 1M: b/a = $M_RATIO_RAW (against (a) at 1M)    b/c = $M_RATIO_NAIVE (against (c) at $ACCOUNTS)"
	echo "makegood steps: $MG_STEPS"
	$MILLION && echo "makegood steps at 1M: $M_STEPS"
	echo "wall = process start to exit (JVM, Spring, Flyway included); send = the deliver step (b) or the job's step (c)."
	echo "heap = peak used before a collection / peak live after one, from -Xlog:gc."
} | tee "$OUT/results.txt"

num() { [ -n "$1" ] && echo "$1" || echo null; }
cat >"$OUT/results.json" <<JSON
{
  "accounts": $ACCOUNTS,
  "connections": $CONNECTIONS,
  "cores": $(nproc),
  "heap_limit": "$HEAP",
  "raw_msgs_per_s": $RAW_RATE,
  "makegood_accounts_per_s": $MG_RATE,
  "makegood_deliver_step_per_s": $MG_DELIVER_RATE,
  "naive_accounts_per_s": $NAIVE_RATE,
  "naive_step_per_s": $NAIVE_STEP_RATE,
  "ratio_vs_raw": $RATIO_RAW,
  "ratio_vs_naive": $RATIO_NAIVE,
  "ratio_vs_raw_deliver_step": $RATIO_RAW_STEP,
  "ratio_vs_naive_steps": $RATIO_NAIVE_STEP,
  "raw_seconds": $RAW_SECONDS,
  "raw_runs_seconds": [$(echo "$RAW_RUNS" | sed 's/ /, /g')],
  "makegood_seconds": $MG_SECONDS,
  "makegood_deliver_seconds": $(calc "$MG_DELIVER_SECONDS" 3),
  "naive_seconds": $NAIVE_SECONDS,
  "naive_step_seconds": $NAIVE_STEP_SECONDS,
  "peak_rss_mib": $MG_RSS,
  "peak_heap_mib": $MG_HEAP,
  "peak_live_heap_mib": $MG_LIVE,
  "naive_peak_rss_mib": $NAIVE_RSS,
  "naive_peak_heap_mib": $NAIVE_HEAP,
  "million": {
    "accounts_per_s": $(num "$M_RATE"),
    "raw_msgs_per_s": $(num "$M_RAW_RATE"),
    "ratio_vs_raw": $(num "$M_RATIO_RAW"),
    "ratio_vs_naive": $(num "$M_RATIO_NAIVE"),
    "deliver_step_per_s": $(num "$M_DELIVER_RATE"),
    "seconds": $(num "$M_SECONDS"),
    "peak_rss_mib": $(num "$M_RSS"),
    "peak_heap_mib": $(num "$M_HEAP"),
    "peak_live_heap_mib": $(num "$M_LIVE")
  }
}
JSON
log "Wrote $OUT/results.json"
