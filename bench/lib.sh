# Shared by bench/run.sh and bench/query.sh (sourced, after here, WORK and classes are set).
# shellcheck shell=bash disable=SC2154 # here, WORK and classes come from the sourcing script

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

compile_sources() { # bench/src into $classes, when a source is newer than the last build
  mkdir -p "$classes"
  local src newest=0
  for src in "$here"/src/*.java; do
    [ "$src" -nt "$classes/.built" ] && newest=1
  done
  if [ ! -f "$classes/.built" ] || [ "$newest" = 1 ]; then
    log "compiling bench/src"
    javac -d "$classes" "$here"/src/*.java
    touch "$classes/.built"
  fi
}

data_file() { # events seed: prints the path of a generated log, generating it when missing or stale
  local events=$1 seed=$2 file
  file=$WORK/data/audit-$events-$seed.log
  if [ ! -s "$file" ] || [ "$here/src/GenAuditLog.java" -nt "$file" ]; then
    log "generating $events events (seed $seed)"
    mkdir -p "$WORK/data"
    timeout 900 java -Xmx256m -cp "$classes" GenAuditLog --events "$events" --seed "$seed" --out "$file.tmp" >&2
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}
