#!/usr/bin/env bash
# Shipping benchmark: generates a large kube-apiserver audit log, ships it to a local receiver with a plain
# read-and-POST baseline and with the agent (`kube-audit-agent ship`), interleaved, and prints a Markdown table of
# wall time, events/s, MB/s, CPU seconds, CPU-s per GB, peak RSS, receiver CPU and requests, with the targets of
# issue 3 marked met / not met. Raw rows go to $WORK/results-<time>.tsv, the table also to $WORK/results-<time>.md.
# Method and reference figures: /work/shared/research/peer-bench.md; results and how to read them: README.md.
#
# Knobs (environment):
#   EVENTS=1000000        lines in the throughput log (1,000,000 lines = about 1.23 GB); 200000 for a quick run
#   RUNS=3                runs per shipper in the throughput scenario, interleaved (baseline, agent, baseline, ...)
#   SCENARIOS="throughput idle-small delay50 fail20 outage"   which scenarios to run ("footprint" stands for
#                         "steady recovery startup throughput", issue 15's set):
#                           throughput  EVENTS lines, receiver answering at once, RUNS runs each
#                           idle-small  SCENARIO_EVENTS lines, receiver answering at once (reference for the next two)
#                           delay50     SCENARIO_EVENTS lines, every response held back 50 ms
#                           fail20      SCENARIO_EVENTS lines, a seeded 20% of requests answered 503 (not counted)
#                           outage      agent only: the destination is down (connection refused) while
#                                       OUTAGE_EVENTS lines are written, stays down OUTAGE_HOLD_S more seconds,
#                                       then comes up; reports the RSS while down and the time to drain
#                           steady      a log written live at STEADY_RATE lines/s (one write per line, as the API
#                                       server writes); after STEADY_WARMUP_S, over the next STEADY_S: CPU % of a
#                                       core, median and highest RSS (sampled every second), and for the agent the
#                                       Native Memory Tracking summary (NMT=1)
#                           recovery    steady writing for STEADY_WARMUP_S, then the destination goes down (refuses
#                                       connections) for RECOVERY_DOWN_S while RECOVERY_EVENTS lines are written at
#                                       once, comes up; reports the time and CPU to catch up, the peak RSS, and the
#                                       RSS RECOVERY_AFTER_S later against the steady RSS before the outage
#                           startup     STARTUP_RUNS times: launch to the first event at the destination (a log of
#                                       100 lines), and for the agent the time of `policy validate` and `status`
#   SHIPPERS="baseline agent [syslogng]"   which shippers to run; syslogng (webhook only) is in the default when
#                         SYSLOGNG_ROOT holds Debian's syslog-ng 3.38 unpacked (bench/syslog-ng.sh does that)
#   SYSLOGNG_ROOT=bench/work/syslog-ng   its configuration: bench/syslogng-http.conf
#   STEADY_RATE=200, STEADY_WARMUP_S=60, STEADY_S=60, NMT=1 (the agent's steady and recovery runs track native
#                         memory: -XX:NativeMemoryTracking=summary, read with jcmd; its own cost is in the summary)
#   RECOVERY_EVENTS=400000 (about 0.5 GB), RECOVERY_DOWN_S=20, RECOVERY_AFTER_S=60, STARTUP_RUNS=5
#   DESTINATIONS="webhook"      which destination types: webhook (all scenarios; baseline = NaiveShipper), kafka
#                         (throughput only, against a real KRaft broker started once for the bench; baseline = a bare
#                         producer, bench/kafka/KafkaFloor, with the agent's producer settings). Each destination
#                         has its own agent config template, bench/agent-config[-DEST].yaml
#   KAFKA_HEAP_MB=512, KAFKA_PARTITIONS=3, KAFKA_COMPRESSION=zstd (the agent's default; the floor uses the same)
#   SCENARIO_EVENTS=200000, SCENARIO_RUNS=1, OUTAGE_EVENTS=800000 (about 1 GB), OUTAGE_HOLD_S=10
#   SEED=1                generator seed (the outage log uses SEED+1)
#   WORK=bench/work       data, compiled classes, run folders, results (gitignored)
#   TIMEOUT_S=300         bound on each run (a run that does not complete in time is reported incomplete)
#   JAVA_OPTS=            JVM options of both shippers; default: the launcher's (default_java_opts in ./kube-audit-agent)
#   RECEIVER_JAVA_OPTS="-Xmx768m -XX:+UseSerialGC -Dsun.net.httpserver.nodelay=true"
#   AGENT_JAR=agent/target/kube-audit-agent.jar   (re)built with Maven when missing or older than the sources
#   AGENT_CONFIG=bench/agent-config.yaml          the webhook template; @URL@ becomes the receiver's URL
#                         (bench/agent-config-kafka.yaml: @BOOTSTRAP@, @TOPIC@ and @COMPRESSION@)
#   PROFILE=0             1: record each agent run with JFR (profile settings) into its run folder
#   QUIET_CORES=          e.g. 0.3: before each run wait (at most QUIET_WAIT_S=120 s) until the rest of the
#                         machine uses less than that many cores; empty: start at once (the load is reported anyway)
#
# Everything listens on and connects to 127.0.0.1 only. Every process started here is tracked by PID, stopped on
# exit (trap), and every wait is bounded.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
EVENTS=${EVENTS:-1000000}
RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-throughput idle-small delay50 fail20 outage}
SCENARIOS=${SCENARIOS/footprint/steady recovery startup throughput}
SYSLOGNG_ROOT=${SYSLOGNG_ROOT:-$here/work/syslog-ng}
syslogng=$SYSLOGNG_ROOT/usr/sbin/syslog-ng
if [ -x "$syslogng" ]; then SHIPPERS=${SHIPPERS:-baseline agent syslogng}; else SHIPPERS=${SHIPPERS:-baseline agent}; fi
STEADY_RATE=${STEADY_RATE:-200}
STEADY_WARMUP_S=${STEADY_WARMUP_S:-60}
STEADY_S=${STEADY_S:-60}
NMT=${NMT:-1}
RECOVERY_EVENTS=${RECOVERY_EVENTS:-400000}
RECOVERY_DOWN_S=${RECOVERY_DOWN_S:-20}
RECOVERY_AFTER_S=${RECOVERY_AFTER_S:-60}
STARTUP_RUNS=${STARTUP_RUNS:-5}
DESTINATIONS=${DESTINATIONS:-webhook}
KAFKA_HEAP_MB=${KAFKA_HEAP_MB:-512}
KAFKA_PARTITIONS=${KAFKA_PARTITIONS:-3}
KAFKA_COMPRESSION=${KAFKA_COMPRESSION:-zstd}
SCENARIO_EVENTS=${SCENARIO_EVENTS:-200000}
SCENARIO_RUNS=${SCENARIO_RUNS:-1}
OUTAGE_EVENTS=${OUTAGE_EVENTS:-800000}
OUTAGE_HOLD_S=${OUTAGE_HOLD_S:-10}
SEED=${SEED:-1}
WORK=${WORK:-$here/work}
TIMEOUT_S=${TIMEOUT_S:-300}
JAVA_OPTS=${JAVA_OPTS:-$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$repo/kube-audit-agent")}
# TCP_NODELAY on the receiver: without it the JDK server sends the status line and the body in two segments and
# Nagle holds the second until the client's delayed ACK, 40 ms per response, which capped a shipper that waits
# for each answer at about 20 MB/s here (real receivers, e.g. Go's net/http, set TCP_NODELAY by default).
RECEIVER_JAVA_OPTS=${RECEIVER_JAVA_OPTS:--Xmx768m -XX:+UseSerialGC -Dsun.net.httpserver.nodelay=true}
AGENT_JAR=${AGENT_JAR:-$repo/agent/target/kube-audit-agent.jar}
AGENT_CONFIG=${AGENT_CONFIG:-$here/agent-config.yaml}
PROFILE=${PROFILE:-0}
QUIET_CORES=${QUIET_CORES:-}
QUIET_WAIT_S=${QUIET_WAIT_S:-120}

read -r -a java_opts <<<"$JAVA_OPTS"
read -r -a receiver_opts <<<"$RECEIVER_JAVA_OPTS"
clk_tck=$(getconf CLK_TCK)
classes=$WORK/classes
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv=$WORK/results-$stamp.tsv
pids=()

# log, compile_sources, data_file: shared with bench/query.sh
# shellcheck disable=SC1091 # lib.sh is checked on its own
source "$here/lib.sh"

# ---- processes: tracked, stopped by PID, waits bounded ----

stop_pid() { # pid [grace seconds]: TERM, then KILL after the grace period
  local pid=$1 grace=${2:-10} deadline
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored TERM for ${grace}s: KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  local kept=() p
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}

cleanup() {
  local p
  for p in "${pids[@]}"; do stop_pid "$p" 5; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_exit() { # pid timeout_s: waits for a process to end by itself, at most timeout_s
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
}

wait_for_file() { # file timeout_s [pid that must stay alive]: 0 file there, 1 timeout, 2 the pid ended first
  local file=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  while [ ! -s "$file" ]; do
    ((SECONDS < deadline)) || return 1
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      [ -s "$file" ] && return 0
      return 2
    fi
    sleep 0.05
  done
}

# ---- /proc readings ----

proc_ticks() { # user+sys clock ticks of a process, all threads
  local s f
  s=$(<"/proc/$1/stat") || return 1
  s=${s##*) }
  read -r -a f <<<"$s"
  echo $((f[11] + f[12]))
}

proc_kb() { # pid key: a kB value from /proc/<pid>/status (VmHWM, VmRSS)
  awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

busy_ticks() { # ticks in which the machine was not idle
  local _cpu user nice system _idle _iowait irq softirq steal _rest
  read -r _cpu user nice system _idle _iowait irq softirq steal _rest </proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}

now_ns() { local t=${EPOCHREALTIME/./}; echo "${t}000"; }

kv() { # key file: value of key=value, or empty
  awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2) }' "$2" 2>/dev/null
}

# ---- building blocks ----

compile() {
  compile_sources
  case " $DESTINATIONS " in *" kafka "*) compile_kafka ;; esac
}

kafka_lib=$repo/kafka-broker/target/kafka-broker-lib
compile_kafka() { # the Kafka watcher and floor, against the client jars Maven copied for the test broker
  if [ ! -d "$kafka_lib" ] || [ ! -d "$repo/kafka-broker/target/classes" ]; then
    log "building the test Kafka broker (kafka-broker module)"
    (cd "$repo" && timeout 900 mvn -q -B -pl kafka-broker -DskipTests package >"$WORK/mvn-kafka.log" 2>&1) ||
      { log "the kafka-broker build failed: $(tail -5 "$WORK/mvn-kafka.log")"; exit 1; }
  fi
  local src newest=0
  for src in "$here"/kafka/*.java; do
    [ "$src" -nt "$classes/.built-kafka" ] && newest=1
  done
  if [ ! -f "$classes/.built-kafka" ] || [ "$newest" = 1 ]; then
    log "compiling bench/kafka"
    javac -d "$classes" -cp "$classes:$kafka_lib/*" "$here"/kafka/*.java
    touch "$classes/.built-kafka"
  fi
}

kafka_pid=""
kafka_bootstrap=""
start_kafka() { # one broker for the whole bench (KafkaBroker, as the tests start it), on a fresh folder
  local dir=$WORK/runs/$stamp/kafka-broker
  mkdir -p "$dir"
  java -cp "$repo/kafka-broker/target/classes" io.kubeaudit.testing.kafka.KafkaBroker "$dir/data" "$KAFKA_HEAP_MB" \
    "$KAFKA_PARTITIONS" >"$dir/out" 2>&1 &
  kafka_pid=$!
  pids+=("$kafka_pid")
  local deadline=$((SECONDS + 180))
  while ! grep -q '^bootstrap=' "$dir/out" 2>/dev/null; do
    if ! kill -0 "$kafka_pid" 2>/dev/null || ((SECONDS > deadline)); then
      log "the Kafka broker did not start: $(tail -5 "$dir/out")"
      exit 1
    fi
    sleep 0.2
  done
  kafka_bootstrap=$(sed -n 's/^bootstrap=//p' "$dir/out")
  log "Kafka broker on $kafka_bootstrap"
}

agent_ready=0
agent_problem=""
prepare_agent() {
  case " $SHIPPERS " in *" agent "*) ;; *) return 0 ;; esac
  if [ ! -f "$AGENT_JAR" ] || { [ "$AGENT_JAR" = "$repo/agent/target/kube-audit-agent.jar" ] &&
    [ -n "$(find "$repo/agent/src/main" "$repo/agent-core/src/main" "$repo/node-sim/src/main" "$repo/agent/pom.xml" "$repo/agent-core/pom.xml" "$repo/pom.xml" -newer "$AGENT_JAR" -print -quit)" ]; }; then
    log "building the agent jar"
    (cd "$repo" && timeout 900 mvn -q -B -o -DskipTests package >"$WORK/mvn.log" 2>&1) ||
      log "the agent build failed: $(tail -5 "$WORK/mvn.log")"
  fi
  if [ ! -f "$AGENT_JAR" ]; then
    agent_problem="no agent jar at $AGENT_JAR"
  elif ! timeout 60 java -jar "$AGENT_JAR" ship --help >/dev/null 2>&1; then
    agent_problem="the agent jar has no working 'ship' command"
  else
    agent_ready=1
  fi
  [ "$agent_ready" = 1 ] || log "agent runs skipped: $agent_problem"
}

receiver_pid=""
receiver_port=""
start_receiver() { # dir expect [receiver args...]: sets receiver_pid, receiver_port
  local dir=$1 expect=$2
  shift 2
  rm -f "$dir/port"
  java "${receiver_opts[@]}" -cp "$classes" Receiver --expect "$expect" --port-file "$dir/port" \
    --result "$dir/result" --stats "$dir/stats" --pid-file "$dir/shipper.pid" "$@" >"$dir/receiver.log" 2>&1 &
  receiver_pid=$!
  pids+=("$receiver_pid")
  if ! wait_for_file "$dir/port" 30 "$receiver_pid"; then
    log "receiver did not start: $(tail -3 "$dir/receiver.log")"
    return 1
  fi
  receiver_port=$(<"$dir/port")
}

dest=webhook
target=""
start_destination() { # dir expect topic [receiver args...]: the run's destination side for $dest; sets receiver_pid, target
  local dir=$1 expect=$2 topic=$3
  shift 3
  case $dest in
    webhook)
      start_receiver "$dir" "$expect" "$@" || return 1
      target="http://127.0.0.1:$receiver_port/audit"
      ;;
    kafka)
      rm -f "$dir/ready"
      java -Xmx256m -XX:+UseSerialGC -cp "$classes:$kafka_lib/*" KafkaWatch --bootstrap "$kafka_bootstrap" --topic "$topic" \
        --partitions "$KAFKA_PARTITIONS" --expect "$expect" --result "$dir/result" --stats "$dir/stats" \
        --pid-file "$dir/shipper.pid" --ready "$dir/ready" >"$dir/receiver.log" 2>&1 &
      receiver_pid=$!
      pids+=("$receiver_pid")
      if ! wait_for_file "$dir/ready" 60 "$receiver_pid"; then
        log "the Kafka watcher did not start: $(tail -3 "$dir/receiver.log")"
        return 1
      fi
      target=$topic
      ;;
  esac
}

agent_config() { # dir: the agent's config for $dest, pointed at $target
  local template=$AGENT_CONFIG
  [ "$dest" = webhook ] || template=$here/agent-config-$dest.yaml
  sed -e "s|@URL@|$target|g" -e "s|@BOOTSTRAP@|$kafka_bootstrap|g" -e "s|@TOPIC@|$target|g" \
    -e "s|@COMPRESSION@|$KAFKA_COMPRESSION|g" "$template" >"$1/config.yaml"
}

shipper_pid=""
follow=0    # 1: the shipper follows a live log (steady, recovery): the floor then polls every second
nmt=0       # 1: the agent tracks its native memory (read with jcmd)
start_shipper() { # dir kind log: sets shipper_pid; the pid file is written before the JVM starts
  local dir=$1 kind=$2 file=$3 cmd
  if [ "$kind" = syslogng ]; then
    sed -e "s|@FILE@|$file|g" -e "s|@URL@|$target|g" -e "s|@RUN@|$dir|g" "$here/syslogng-http.conf" >"$dir/syslog-ng.conf"
    cmd=(env "LD_LIBRARY_PATH=$SYSLOGNG_ROOT/usr/lib/x86_64-linux-gnu:$SYSLOGNG_ROOT/lib/x86_64-linux-gnu:$SYSLOGNG_ROOT/usr/lib/syslog-ng"
      "$syslogng" -F --no-caps -f "$dir/syslog-ng.conf" "--module-path=$SYSLOGNG_ROOT/usr/lib/syslog-ng/3.38"
      -R "$dir/syslog-ng.persist" -p "$dir/syslog-ng.pid" -c "$dir/syslog-ng.ctl")
  elif [ "$kind" = baseline ] && [ "$dest" = kafka ]; then
    cmd=(java "${java_opts[@]}" -cp "$classes:$kafka_lib/*" KafkaFloor --file "$file" --bootstrap "$kafka_bootstrap"
      --topic "$target" --compression "$KAFKA_COMPRESSION" --hold-until "$dir/result")
  elif [ "$kind" = baseline ]; then
    cmd=(java "${java_opts[@]}" -cp "$classes" NaiveShipper --file "$file" --url "$target")
    [ "$follow" = 0 ] || cmd+=(--follow 1000)
  else
    agent_config "$dir"
    cmd=(java "${java_opts[@]}")
    [ "$nmt" = 0 ] || cmd+=(-XX:NativeMemoryTracking=summary)
    if [ "$PROFILE" = 1 ]; then
      cmd+=("-XX:StartFlightRecording=filename=$dir/agent.jfr,settings=profile,dumponexit=true")
    fi
    cmd+=(-jar "$AGENT_JAR" ship --config "$dir/config.yaml" --root "$dir/root")
  fi
  # shellcheck disable=SC2016 # $1 and $$ belong to the inner shell
  sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$dir/shipper.pid" "${cmd[@]}" >"$dir/shipper.log" 2>&1 &
  shipper_pid=$!
  pids+=("$shipper_pid")
}

sandbox() { # dir source-log: the agent's node root with the log at audit.logPath (a hard link: no copy)
  local dir=$1 src=$2 logdir=$1/root/var/log/kubernetes/audit
  mkdir -p "$logdir"
  ln "$src" "$logdir/audit.log" 2>/dev/null || cp "$src" "$logdir/audit.log"
  echo "$logdir/audit.log"
}

wait_quiet() { # waits until the machine is nearly idle, when QUIET_CORES asks for it; bounded by QUIET_WAIT_S
  [ -n "$QUIET_CORES" ] || return 0
  local deadline=$((SECONDS + QUIET_WAIT_S)) b0 b1
  while ((SECONDS < deadline)); do
    b0=$(busy_ticks)
    sleep 1
    b1=$(busy_ticks)
    if awk -v d="$((b1 - b0))" -v hz="$clk_tck" -v q="$QUIET_CORES" 'BEGIN { exit !(d / hz < q) }'; then return 0; fi
  done
  log "the machine stayed busier than $QUIET_CORES cores for ${QUIET_WAIT_S}s: running anyway"
}

# ---- live logs: a paced writer, RSS samples, the receiver's progress ----

sampler_pid=""
start_rss_sampler() { # dir: appends "epoch-ms VmRSS-kB" of the shipper to dir/rss.tsv every second; sets sampler_pid
  (while kill -0 "$shipper_pid" 2>/dev/null; do
    printf '%s %s\n' "$(($(now_ns) / 1000000))" "$(proc_kb "$shipper_pid" VmRSS 2>/dev/null)"
    sleep 1
  done) >>"$1/rss.tsv" 2>/dev/null &
  sampler_pid=$!
  pids+=("$sampler_pid")
}

rss_stat() { # dir from-ms to-ms median|max: VmRSS kB of the samples in [from, to]
  awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b && $2 != "" { print $2 }' "$1/rss.tsv" | sort -n |
    awk -v f="$4" '{ v[NR] = $1 } END { if (NR) print (f == "max" ? v[NR] : v[int((NR + 1) / 2)]) }'
}

writer_pid=""
start_writer() { # dir file events seed [GenAuditLog args...]: writes the log live at STEADY_RATE; sets writer_pid
  local dir=$1 file=$2 events=$3 seed=$4
  shift 4
  java -Xmx64m -XX:+UseSerialGC -cp "$classes" GenAuditLog --append --events "$events" --seed "$seed" --out "$file" \
    --rate "$STEADY_RATE" --timeline "$dir/written.tsv" "$@" >"$dir/gen.log" 2>&1 &
  writer_pid=$!
  pids+=("$writer_pid")
}

last_count() { # timeline file: the count of its last line (0 when empty)
  local v
  v=$(tail -n 1 "$1" 2>/dev/null | cut -d' ' -f2)
  echo "${v:-0}"
}

wait_delivered() { # dir lines timeout_s: waits until the receiver's timeline holds that many distinct events
  local deadline=$((SECONDS + $3))
  while (($(last_count "$1/received.tsv") < $2)); do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

ms_now() { echo $(($(now_ns) / 1000000)); }

nmt_summary() { # dir: the agent's Native Memory Tracking summary into dir/nmt.txt; prints the file or nothing
  [ "$nmt" = 1 ] || return 0
  timeout 30 jcmd "$shipper_pid" VM.native_memory summary >"$1/nmt.txt" 2>&1 && echo "$1/nmt.txt"
}

live_run_setup() { # scenario kind run expected-lines: a run folder with an empty log, the receiver (timeline, outage switch), the shipper
  local name=$1-$2-$3
  dir=$WORK/runs/$stamp/$name
  rm -rf "$dir"
  mkdir -p "$dir/root/var/log/kubernetes/audit"
  file=$dir/root/var/log/kubernetes/audit/audit.log
  : >"$file"
  wait_quiet
  follow=1
  nmt=$([ "$2" = agent ] && echo "$NMT" || echo 0)
  start_receiver "$dir" "$4" --timeline "$dir/received.tsv" --outage "$dir/down"
  target="http://127.0.0.1:$receiver_port/audit"
  start_shipper "$dir" "$2" "$file"
  start_rss_sampler "$dir"
}

live_run_finish() { # scenario kind run [rss_kb after_kb settle_s]; wall_ns, cpu, hwm, threads, note, down_kb, nmt_file: the caller's locals
  local complete=1 lines
  lines=$(wc -l <"$file")
  kill -0 "$shipper_pid" 2>/dev/null || note="$note; the shipper exited early: $(tail -1 "$dir/shipper.log")"
  wait_delivered "$dir" "$lines" 60 || complete=0
  [ "$complete" = 1 ] || note="$note; delivered $(last_count "$dir/received.tsv") of $lines"
  stop_pid "$shipper_pid" 20
  stop_pid "$sampler_pid" 5
  stop_pid "$receiver_pid" 10
  follow=0
  local bytes
  bytes=$(stat -c %s "$file")
  rm -rf "$dir/root/var/log"
  row "$1" "$2" "$3" "$lines" "$bytes" "$complete" "$wall_ns" "$cpu" "${hwm:-0}" 0 0 "$dir/stats" "${down_kb:-}" \
    "$note" "$threads" "${4:-}" "${5:-}" "${6:-}" "${nmt_file:-}"
  log "$(tail -1 "$tsv" | cut -f1-12)"
}

run_steady() { # kind run: the log written at STEADY_RATE; CPU and RSS over STEADY_S after STEADY_WARMUP_S
  local kind=$1 run=$2 dir file events t0 t1 c0 c1 wall_ns cpu hwm rss peak threads nmt_file down_kb="" note
  events=$((STEADY_RATE * (STEADY_WARMUP_S + STEADY_S)))
  live_run_setup steady "$kind" "$run" "$events"
  start_writer "$dir" "$file" "$events" "$((SEED + 2))"
  sleep "$STEADY_WARMUP_S"
  t0=$(ms_now)
  c0=$(proc_ticks "$shipper_pid" || echo 0)
  sleep "$STEADY_S"
  c1=$(proc_ticks "$shipper_pid" || echo "$c0")
  t1=$(ms_now)
  threads=$(thread_ticks "$shipper_pid")
  nmt_file=$(nmt_summary "$dir")
  wait_exit "$writer_pid" 30
  stop_pid "$writer_pid" 5
  wall_ns=$(((t1 - t0) * 1000000))
  cpu=$((c1 - c0))
  rss=$(rss_stat "$dir" "$t0" "$t1" median)
  peak=$(rss_stat "$dir" "$t0" "$t1" max)
  note="$STEADY_RATE lines/s; CPU and RSS over ${STEADY_S}s after ${STEADY_WARMUP_S}s of warm-up; peak RSS = highest sample then"
  hwm=$peak
  live_run_finish steady "$kind" "$run" "$rss"
}

run_recovery() { # kind run: steady, an outage with a backlog written at once, the catch-up, the RSS a minute later
  local kind=$1 run=$2 dir file t_down t_up t_done c_up c_done wall_ns cpu hwm rss threads nmt_file down_kb after settle note
  live_run_setup recovery "$kind" "$run" "$((RECOVERY_EVENTS + STEADY_RATE * (STEADY_WARMUP_S + RECOVERY_DOWN_S + RECOVERY_AFTER_S)))"
  # The writer runs until stopped; the burst comes a second after the destination went down.
  start_writer "$dir" "$file" 999999999 "$((SEED + 3))" --burst "$((STEADY_WARMUP_S + 1)):$RECOVERY_EVENTS"
  sleep "$STEADY_WARMUP_S"
  t_down=$(ms_now)
  rss=$(rss_stat "$dir" "$((t_down - 20000))" "$t_down" median)
  : >"$dir/down"
  sleep "$RECOVERY_DOWN_S"
  down_kb=$(rss_stat "$dir" "$t_down" "$(ms_now)" max)
  rm -f "$dir/down"
  t_up=$(ms_now)
  c_up=$(proc_ticks "$shipper_pid" || echo 0)
  # Caught up: the receiver holds what was written up to a second before (one batch wait behind a live log).
  local deadline=$((SECONDS + TIMEOUT_S))
  while (($(last_count "$dir/received.tsv") < $(last_count "$dir/written.tsv") - STEADY_RATE)) && ((SECONDS < deadline)); do
    sleep 0.5
  done
  t_done=$(ms_now)
  c_done=$(proc_ticks "$shipper_pid" || echo "$c_up")
  sleep "$RECOVERY_AFTER_S"
  after=$(rss_stat "$dir" "$(($(ms_now) - 5000))" "$(ms_now)" median)
  settle=$(awk -v a="$t_done" -v lim="$((rss + 10240))" '$1 >= a && $2 != "" && $2 <= lim { printf "%.0f", ($1 - a) / 1000; exit }' "$dir/rss.tsv")
  hwm=$(proc_kb "$shipper_pid" VmHWM || echo 0)
  threads=$(thread_ticks "$shipper_pid")
  nmt_file=$(nmt_summary "$dir")
  stop_pid "$writer_pid" 5
  wall_ns=$(((t_done - t_up) * 1000000))
  cpu=$((c_done - c_up))
  note="destination down ${RECOVERY_DOWN_S}s after ${STEADY_WARMUP_S}s at $STEADY_RATE lines/s, $RECOVERY_EVENTS lines written at once meanwhile; wall and CPU = catching up once it was up; RSS = steady before the outage, after = ${RECOVERY_AFTER_S}s after catching up"
  [ "$settle" != "" ] || settle=never
  live_run_finish recovery "$kind" "$run" "$rss" "$after" "$settle"
}

run_startup() { # kind run: launch to the first event at the destination; for the agent also two CLI answers
  local kind=$1 run=$2 name=startup-$1-$2 dir file start_ns status=0 data
  dir=$WORK/runs/$stamp/$name
  rm -rf "$dir"
  mkdir -p "$dir"
  data=$WORK/data/startup-100.log
  [ -s "$data" ] || head -n 100 "$(data_file "$SCENARIO_EVENTS" "$SEED")" >"$data"
  wait_quiet
  start_receiver "$dir" 1
  target="http://127.0.0.1:$receiver_port/audit"
  if [ "$kind" = agent ]; then file=$(sandbox "$dir" "$data"); else file=$data; fi
  start_ns=$(now_ns)
  start_shipper "$dir" "$kind" "$file"
  wait_for_file "$dir/result" 30 "$shipper_pid" || status=$?
  local wall_ns=$(($(now_ns) - start_ns))
  [ "$status" != 0 ] || wall_ns=$(($(kv done_ns "$dir/result") - start_ns))
  stop_pid "$shipper_pid" 20
  stop_pid "$receiver_pid" 10
  row startup "$kind" "$run" 1 "$(stat -c %s "$data")" "$((status == 0))" "$wall_ns" "$(kv shipper_cpu_ticks "$dir/result")" \
    "$(kv shipper_hwm_kb "$dir/result")" 0 0 "$dir/stats" "" "first event"
  log "$(tail -1 "$tsv" | cut -f1-12)"
  [ "$kind" = agent ] || return 0
  local what cmd
  for what in "policy validate" status; do
    cmd=(java "${java_opts[@]}" -jar "$AGENT_JAR")
    if [ "$what" = status ]; then cmd+=(status --root "$dir/root" --config "$dir/config.yaml"); else cmd+=(policy validate "$repo/policies/recommended.yaml"); fi
    local out=$dir/${what// /-} times
    start_ns=$(now_ns)
    status=0
    /usr/bin/time -f '%U %S %M' -o "$out.time" "${cmd[@]}" >"$out.out" 2>&1 || status=$?
    local wall=$(($(now_ns) - start_ns))
    read -r -a times < <(tail -n 1 "$out.time")
    row startup "agent $what" "$run" 0 0 "$((status <= 3))" "$wall" \
      "$(awk -v u="${times[0]}" -v s="${times[1]}" -v hz="$clk_tck" 'BEGIN { printf "%d", (u + s) * hz }')" "${times[2]}" \
      0 0 /dev/null "" "exit $status"
    log "$(tail -1 "$tsv" | cut -f1-7)"
  done
}

thread_ticks() { # pid: CPU ticks per thread name, as the receiver reports them (digits folded, busiest first)
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(sed -e 's/[0-9]\+/#/g' -e 's/ /_/g' "$task/comm")" "$(proc_ticks "$1/task/${task##*/}")"
  done 2>/dev/null | awk '{ t[$1] += $2 } END { for (k in t) if (t[k] > 0) print t[k], k }' | sort -rn |
    awk '{ printf "%s%s:%s", (NR > 1 ? "," : ""), $2, $1 }'
}

# ---- one measured run ----

header="scenario	shipper	run	events	bytes	complete	wall_s	events_per_s	mb_per_s	cpu_s	cpu_s_per_gb	peak_rss_mb	receiver_cpu_s	requests	failed_requests	distinct	duplicates	parse_errors	other_cores	down_peak_rss_mb	note	threads	destination	rss_mb	rss_after_mb	settle_s	nmt"

row() { # writes one TSV row from the run folder's figures
  local scenario=$1 kind=$2 run=$3 events=$4 bytes=$5 complete=$6 wall_ns=$7 cpu_ticks=$8 hwm_kb=$9
  local rcv_ticks=${10} other_ticks=${11} stats=${12} down_kb=${13} note=${14} threads=${15:-}
  local rss_kb=${16:-} after_kb=${17:-} settle=${18:-} nmt_file=${19:-}
  awk -v OFS='\t' -v sc="$scenario" -v k="$kind" -v r="$run" -v ev="$events" -v by="$bytes" -v ok="$complete" \
    -v wns="$wall_ns" -v ct="$cpu_ticks" -v hz="$clk_tck" -v hwm="$hwm_kb" -v rt="$rcv_ticks" -v ot="$other_ticks" \
    -v req="$(kv requests "$stats")" -v fr="$(kv failed_requests "$stats")" -v di="$(kv distinct "$stats")" \
    -v du="$(kv duplicates "$stats")" -v pe="$(kv parse_errors "$stats")" -v dk="$down_kb" -v note="$note" -v th="$threads" \
    -v de="$dest" -v rk="$rss_kb" -v ak="$after_kb" -v st="$settle" -v nf="$nmt_file" 'BEGIN {
      w = wns / 1e9; cpu = ct / hz
      printf "%s\t%s\t%s\t%d\t%d\t%d\t%.2f\t%.0f\t%.1f\t%.2f\t%.2f\t%.0f\t%.2f\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
        sc, k, r, ev, by, ok, w, (w > 0 ? ev / w : 0), (w > 0 ? by / 1e6 / w : 0), cpu, cpu / (by / 1e9),
        hwm / 1024, rt / hz, req, fr, di, du, pe, (w > 0 ? ot / hz / w : 0), (dk == "" ? "" : sprintf("%.0f", dk / 1024)), note, th, de,
        (rk == "" ? "" : sprintf("%.1f", rk / 1024)), (ak == "" ? "" : sprintf("%.1f", ak / 1024)), st, nf
    }' >>"$tsv"
}

run_one() { # scenario kind run events data-file [receiver args...]
  local scenario=$1 kind=$2 run=$3 events=$4 data=$5
  shift 5
  local name=$scenario-$kind-$run
  [ "$dest" = webhook ] || name=$dest-$name
  local dir=$WORK/runs/$stamp/$name file start_ns busy0 rcv0 status=0 note=""
  rm -rf "$dir"
  mkdir -p "$dir"
  wait_quiet
  start_destination "$dir" "$events" "$name" "$@"
  if [ "$kind" = agent ]; then file=$(sandbox "$dir" "$data"); else file=$data; fi
  busy0=$(busy_ticks)
  rcv0=$(proc_ticks "$receiver_pid")
  start_ns=$(now_ns)
  start_shipper "$dir" "$kind" "$file"
  wait_for_file "$dir/result" "$TIMEOUT_S" "$shipper_pid" || status=$?
  local wall_ns cpu hwm rcv other
  if [ "$status" = 0 ]; then
    wall_ns=$(($(kv done_ns "$dir/result") - start_ns))
    cpu=$(kv shipper_cpu_ticks "$dir/result")
    hwm=$(kv shipper_hwm_kb "$dir/result")
    rcv=$(($(kv receiver_cpu_ticks "$dir/result") - rcv0))
    other=$(($(kv sys_busy_ticks "$dir/result") - busy0 - cpu - rcv))
  else
    wall_ns=$(($(now_ns) - start_ns))
    if [ "$status" = 1 ]; then note="timeout after ${TIMEOUT_S}s"; else note="shipper exited early: $(tail -1 "$dir/shipper.log")"; fi
    cpu=$(proc_ticks "$shipper_pid" 2>/dev/null || echo 0)
    hwm=$(proc_kb "$shipper_pid" VmHWM 2>/dev/null || echo 0)
    rcv=$(($(proc_ticks "$receiver_pid") - rcv0))
    other=$(($(busy_ticks) - busy0 - cpu - rcv))
  fi
  if [ "$kind" = baseline ]; then wait_exit "$shipper_pid" 10; fi
  stop_pid "$shipper_pid" 20
  if [ "$dest" = kafka ]; then wait_exit "$receiver_pid" 120; fi # it reads the topic back for the counters
  stop_pid "$receiver_pid" 10
  rm -rf "$dir/root/var/log"
  row "$scenario" "$kind" "$run" "$events" "$(stat -c %s "$data")" "$((status == 0))" "$wall_ns" "$cpu" "${hwm:-0}" \
    "$rcv" "$other" "$dir/stats" "" "$note" "$(kv shipper_threads "$dir/result")"
  log "$(tail -1 "$tsv" | cut -f1-12)"
}

run_outage() { # run: the agent against a destination that is down while the log grows, then comes up
  local run=$1
  local dir=$WORK/runs/$stamp/outage-agent-$run file port write_start up_ns busy0 status=0 down_hwm bytes
  rm -rf "$dir"
  mkdir -p "$dir/root/var/log/kubernetes/audit"
  file=$dir/root/var/log/kubernetes/audit/audit.log
  : >"$file"
  wait_quiet
  # A port nobody listens on: start a receiver to get a free port, stop it; the agent meets refused connections.
  start_receiver "$dir" 1
  port=$receiver_port
  stop_pid "$receiver_pid" 10
  rm -f "$dir/result" "$dir/stats"
  target="http://127.0.0.1:$port/audit"
  start_shipper "$dir" agent "$file"
  sleep 2
  start_rss_sampler "$dir"
  local sampler=$sampler_pid
  write_start=$SECONDS
  log "outage: writing $OUTAGE_EVENTS events while the destination is down"
  timeout "$TIMEOUT_S" java -Xmx256m -cp "$classes" GenAuditLog --append --events "$OUTAGE_EVENTS" \
    --seed "$((SEED + 1))" --out "$file" >"$dir/gen.log" 2>&1
  bytes=$(stat -c %s "$file")
  log "outage: written in $((SECONDS - write_start)) s; destination stays down ${OUTAGE_HOLD_S}s more"
  sleep "$OUTAGE_HOLD_S"
  local down_s=$((SECONDS - write_start))
  down_hwm=$(proc_kb "$shipper_pid" VmHWM 2>/dev/null || echo 0)
  busy0=$(busy_ticks)
  start_receiver "$dir" "$OUTAGE_EVENTS" --port "$port"
  local rcv0 cpu0
  rcv0=$(proc_ticks "$receiver_pid")
  cpu0=$(proc_ticks "$shipper_pid" 2>/dev/null || echo 0)
  up_ns=$(now_ns)
  wait_for_file "$dir/result" "$TIMEOUT_S" "$shipper_pid" || status=$?
  local wall_ns cpu hwm rcv other note="destination down ${down_s}s while $OUTAGE_EVENTS events were written; wall = time to drain once it was up; CPU = whole run"
  if [ "$status" = 0 ]; then
    wall_ns=$(($(kv done_ns "$dir/result") - up_ns))
    cpu=$(kv shipper_cpu_ticks "$dir/result")
    hwm=$(kv shipper_hwm_kb "$dir/result")
    rcv=$(($(kv receiver_cpu_ticks "$dir/result") - rcv0))
    other=$(($(kv sys_busy_ticks "$dir/result") - busy0 - (cpu - cpu0) - rcv))
  else
    wall_ns=$(($(now_ns) - up_ns))
    if [ "$status" = 1 ]; then note="$note; timeout after ${TIMEOUT_S}s"; else note="$note; agent exited early"; fi
    cpu=$(proc_ticks "$shipper_pid" 2>/dev/null || echo 0)
    hwm=$(proc_kb "$shipper_pid" VmHWM 2>/dev/null || echo 0)
    rcv=$(($(proc_ticks "$receiver_pid") - rcv0))
    other=$(($(busy_ticks) - busy0 - (cpu - cpu0) - rcv))
  fi
  stop_pid "$shipper_pid" 20
  stop_pid "$sampler" 5
  stop_pid "$receiver_pid" 10
  rm -rf "$dir/root/var/log"
  row outage agent "$run" "$OUTAGE_EVENTS" "$bytes" \
    "$((status == 0))" "$wall_ns" "$cpu" "${hwm:-0}" "$rcv" "$other" "$dir/stats" "${down_hwm:-0}" "$note" \
    "$(kv shipper_threads "$dir/result")"
  log "$(tail -1 "$tsv" | cut -f1-12)"
}

# ---- main ----

mkdir -p "$WORK"
compile
prepare_agent
printf '%s\n' "$header" >"$tsv"
ran_shippers=()
for kind in $SHIPPERS; do
  if [ "$kind" = agent ] && [ "$agent_ready" != 1 ]; then continue; fi
  if [ "$kind" = syslogng ] && [ ! -x "$syslogng" ]; then log "syslogng skipped: no $syslogng (bench/syslog-ng.sh)"; continue; fi
  ran_shippers+=("$kind")
done

for dest in $DESTINATIONS; do
  case $dest in
    webhook) ;;
    kafka) start_kafka ;;
    *) log "unknown destination $dest (known: webhook kafka)"; exit 2 ;;
  esac
  for scenario in $SCENARIOS; do
    if [ "$dest" != webhook ] && [ "$scenario" != throughput ]; then
      log "$dest: only the throughput scenario runs (skipping $scenario)"
      continue
    fi
    case $scenario in
      throughput)
        data=$(data_file "$EVENTS" "$SEED")
        cat "$data" >/dev/null # into the page cache
        for ((r = 1; r <= RUNS; r++)); do
          for kind in "${ran_shippers[@]}"; do
            [ "$dest" = webhook ] || [ "$kind" != syslogng ] || continue
            run_one throughput "$kind" "$r" "$EVENTS" "$data"
          done
        done
        ;;
      idle-small | delay50 | fail20)
        data=$(data_file "$SCENARIO_EVENTS" "$SEED")
        cat "$data" >/dev/null
        args=()
        [ "$scenario" = delay50 ] && args=(--delay-ms 50)
        [ "$scenario" = fail20 ] && args=(--fail-rate 0.2 --seed "$SEED")
        for ((r = 1; r <= SCENARIO_RUNS; r++)); do
          for kind in "${ran_shippers[@]}"; do run_one "$scenario" "$kind" "$r" "$SCENARIO_EVENTS" "$data" "${args[@]}"; done
        done
        ;;
      outage)
        if [ "$agent_ready" = 1 ]; then
          for ((r = 1; r <= SCENARIO_RUNS; r++)); do run_outage "$r"; done
        fi
        ;;
      steady | recovery | startup)
        runs=$SCENARIO_RUNS
        [ "$scenario" = startup ] && runs=$STARTUP_RUNS
        for ((r = 1; r <= runs; r++)); do
          for kind in "${ran_shippers[@]}"; do "run_$scenario" "$kind" "$r"; done
        done
        ;;
      *) log "unknown scenario $scenario (known: throughput idle-small delay50 fail20 outage steady recovery startup footprint)"; exit 2 ;;
    esac
  done
  if [ "$dest" = kafka ]; then stop_pid "$kafka_pid" 30; fi
done

cp "$tsv" "$WORK/results.tsv"
java -cp "$classes" Report "$tsv" "${agent_problem:-}" "$clk_tck" | tee "${tsv%.tsv}.md"
log "raw rows: $tsv"
