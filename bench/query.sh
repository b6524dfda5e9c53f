#!/usr/bin/env bash
# Query benchmark: `kube-audit-agent query` against `grep -c` (the byte-scan floor) and `jq` (what people use today)
# doing the same selection, on the shipping benchmark's log (bench/run.sh's generator, the same file) and on the same
# events as gzipped lumberjack backups. Prints a Markdown table (wall and CPU medians, matches, ratios to grep and
# jq) and writes the raw rows to $WORK/query-<time>.tsv. Results and how to read them: docs/investigate.md "Measured".
#
# Targets (issue 12): on plain files at most 2x grep -c's time; at least 10x faster than jq.
#
# Knobs (environment):
#   EVENTS=1000000, SEED=1   the log (1,000,000 lines = about 1.23 GB), generated once into $WORK/data
#   RUNS=3                   runs of grep and of the agent per selection, interleaved; JQ_RUNS=1 (jq takes ~20 s a run)
#   BACKUP_MB=100            size of each gzipped backup before compression (--audit-log-maxsize 100)
#   SELECTIONS="user patch-deployments forbidden count-users"   which selections (see select_args below)
#   FILES="plain gzip"       plain: the one log; gzip: the backups folder
#   JAVA_OPTS=               the agent's JVM options; default: the launcher's (default_java_opts in ./kube-audit-agent)
#   AGENT_JAR=agent/target/kube-audit-agent.jar   built with Maven when missing
#   WORK=bench/work, QUIET_CORES= (as in run.sh: wait until the rest of the machine uses fewer cores than this)
# Needs jq (apt-get install jq) and GNU grep and gzip. Every command runs in the foreground: nothing is left behind.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
EVENTS=${EVENTS:-1000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
JQ_RUNS=${JQ_RUNS:-1}
BACKUP_MB=${BACKUP_MB:-100}
SELECTIONS=${SELECTIONS:-user patch-deployments forbidden count-users}
FILES=${FILES:-plain gzip}
WORK=${WORK:-$here/work}
JAVA_OPTS=${JAVA_OPTS:-$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$repo/kube-audit-agent")}
AGENT_JAR=${AGENT_JAR:-$repo/agent/target/kube-audit-agent.jar}
QUIET_CORES=${QUIET_CORES:-}
# shellcheck disable=SC2034 # read by lib.sh
classes=$WORK/classes
read -r -a java_opts <<<"$JAVA_OPTS"
# shellcheck disable=SC1091 # lib.sh is checked on its own
source "$here/lib.sh"

command -v jq >/dev/null || { echo "query.sh needs jq: apt-get install jq" >&2; exit 2; }
if [ ! -f "$AGENT_JAR" ]; then
  log "building the agent jar"
  (cd "$repo" && mvn -q -B -o -DskipTests package)
fi

# One selection in each tool's words. grep can only look for bytes: its count is of lines holding them (the
# pre-filter's view); jq and the agent check the fields.
select_args() { # selection: the agent's query options
  case $1 in
    user) echo "--user oidc:deployer@example.com" ;;
    patch-deployments) echo "--verb patch --resource deployments" ;;
    forbidden) echo "--status 403" ;;
    count-users) echo "--count-by user" ;;
  esac
}
select_grep() { # selection: grep's pattern options
  case $1 in
    user) echo "-F '\"oidc:deployer@example.com\"'" ;;
    patch-deployments) echo "-E '\"verb\":\"patch\".*\"resource\":\"deployments\"'" ;;
    forbidden) echo "-F '\"code\":403'" ;;
    count-users) echo "" ;;
  esac
}
select_jq() { # selection: the jq program
  case $1 in
    user) echo 'select(.user.username == "oidc:deployer@example.com" or .impersonatedUser.username == "oidc:deployer@example.com")' ;;
    patch-deployments) echo 'select(.verb == "patch" and .objectRef.resource == "deployments" and (.objectRef.subresource // "") == "")' ;;
    forbidden) echo 'select(.responseStatus.code == 403)' ;;
    count-users) echo '.user.username' ;;
  esac
}

backups() { # log: a folder of gzipped lumberjack backups holding the log's lines, made once
  local src=$1 dir
  dir=$WORK/data/backups-$EVENTS-$SEED-${BACKUP_MB}mb
  if [ ! -f "$dir/.done" ] || [ "$src" -nt "$dir/.done" ]; then
    log "writing gzipped ${BACKUP_MB} MB backups of $src"
    rm -rf "$dir"
    mkdir -p "$dir"
    split -C "${BACKUP_MB}M" -d -a 3 "$src" "$dir/part-"
    local i=0 part
    for part in "$dir"/part-*; do
      # lumberjack's names: audit-<UTC rotation time>.log.gz, one minute apart, oldest first.
      gzip -6 -c "$part" >"$dir/audit-2026-11-26T$(printf '%02d-%02d' $((12 + i / 60)) $((i % 60)))-00.000.log.gz"
      rm "$part"
      i=$((i + 1))
    done
    touch "$dir/.done"
  fi
  echo "$dir"
}

wait_quiet() {
  [ -n "$QUIET_CORES" ] || return 0
  local deadline=$((SECONDS + 120)) a b hz
  hz=$(getconf CLK_TCK)
  while ((SECONDS < deadline)); do
    a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
    awk -v d="$((b - a))" -v hz="$hz" -v q="$QUIET_CORES" 'BEGIN { exit !(d / hz < q) }' && return 0
  done
}

measure() { # out-file command...: runs it in a shell, stdout to out-file; prints "wall user+sys" (children included)
  local out=$1 t
  shift
  wait_quiet
  t=$( { TIMEFORMAT='%R %U %S'; time bash -c "$*" >"$out" 2>/dev/null; } 2>&1 | tail -1)
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' <<<"$t"
}

count_of() { # tool selection out-file: how many matches the output holds
  case $1:$2 in
    grep:*) cat "$3" ;;
    agent:count-users) jq '[.[].count] | add' "$3" ;;
    jq:count-users) awk '{ n += $1 } END { print n }' "$3" ;;
    *) wc -l <"$3" ;;
  esac
}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv=$WORK/query-$stamp.tsv
compile_sources
log_file=$(data_file "$EVENTS" "$SEED")
printf 'files\tselection\ttool\trun\tmatches\twall_s\tcpu_s\n' >"$tsv"
agent=(java "${java_opts[@]}" -jar "$AGENT_JAR" query)
for files in $FILES; do
  if [ "$files" = plain ]; then input=$log_file; cat=(cat "$input"); else input=$(backups "$log_file"); cat=(zcat "$input"/*.gz); fi
  "${cat[@]}" >/dev/null # into the page cache
  for sel in $SELECTIONS; do
    out=$WORK/query-out
    for ((r = 1; r <= RUNS; r++)); do
      if [ -n "$(select_grep "$sel")" ]; then
        if [ "$files" = plain ]; then cmd="grep -c $(select_grep "$sel") $input"; else cmd="zcat $input/*.gz | grep -c $(select_grep "$sel")"; fi
        read -r wall cpu < <(measure "$out" "$cmd")
        printf '%s\t%s\tgrep\t%d\t%s\t%s\t%s\n' "$files" "$sel" "$r" "$(count_of grep "$sel" "$out")" "$wall" "$cpu" >>"$tsv"
      fi
      format=ndjson
      [ "$sel" = count-users ] && format=json
      read -r wall cpu < <(measure "$out" "${agent[*]} $input $(select_args "$sel") -o $format")
      printf '%s\t%s\tagent\t%d\t%s\t%s\t%s\n' "$files" "$sel" "$r" "$(count_of agent "$sel" "$out")" "$wall" "$cpu" >>"$tsv"
      log "$(tail -1 "$tsv")"
    done
    for ((r = 1; r <= JQ_RUNS; r++)); do
      program=$(select_jq "$sel")
      if [ "$sel" = count-users ]; then post="| sort | uniq -c"; else post=""; fi
      read -r wall cpu < <(measure "$out" "${cat[*]} | jq -r -c '$program' $post")
      printf '%s\t%s\tjq\t%d\t%s\t%s\t%s\n' "$files" "$sel" "$r" "$(count_of jq "$sel" "$out")" "$wall" "$cpu" >>"$tsv"
      log "$(tail -1 "$tsv")"
    done
  done
done
rm -f "$WORK/query-out"

# Medians per (files, selection, tool), then the table.
awk -F'\t' 'NR > 1 { k = $1 "\t" $2 "\t" $3; n[k]++; w[k, n[k]] = $6; c[k, n[k]] = $7; m[k] = $5; order[k] = NR }
  function med(a, k, cnt,   i, j, t, v) { for (i = 1; i <= cnt; i++) v[i] = a[k, i]
    for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((cnt + 1) / 2)] }
  END { for (k in n) printf "%s\t%s\t%s\t%s\t%d\n", k, m[k], med(w, k, n[k]), med(c, k, n[k]), order[k] }' "$tsv" |
  sort -t$'\t' -k7,7n >"$tsv.medians"
{
  echo "| files | selection | tool | matches | wall s (median) | CPU s (median) | agent wall / grep | jq wall / agent |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '{ k = $1 "\t" $2; wall[k, $3] = $5; row[NR] = $0 }
    END { for (i = 1; i <= NR; i++) { split(row[i], f, "\t"); k = f[1] "\t" f[2]
      g = (f[3] == "agent" && wall[k, "grep"] > 0) ? sprintf("%.2fx", f[5] / wall[k, "grep"]) : ""
      j = (f[3] == "agent" && f[5] > 0 && wall[k, "jq"] > 0) ? sprintf("%.1fx", wall[k, "jq"] / f[5]) : ""
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], g, j } }' "$tsv.medians"
} | tee "$WORK/query-$stamp.md"
log "raw rows: $tsv"
