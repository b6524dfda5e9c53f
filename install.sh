#!/usr/bin/env bash
# Installs kube-audit-agent on this control-plane node (or into a sandbox with --root), or removes it.
# Idempotent: every file is compared first and written only when it differs; a second run reports
# "unchanged" for everything. An operator's /etc/kube-audit-agent/config.yaml is never overwritten.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: install.sh [options]

  --jar FILE       install this jar (default: build it from this checkout with Maven)
  --root DIR       install under DIR instead of / (a sandbox: systemctl is not used)
  --no-start       install and reload systemd, but do not enable or start the service
  --install-java   install the distribution's Java 17+ runtime when none is found
  --dry-run        print what would change, change nothing
  --uninstall      remove the service, launcher and /opt/kube-audit-agent; keep config,
                   checkpoints, audit logs and backups
  -h, --help       show this help

Each file is reported as changed or unchanged; the last line is "summary: changed=N unchanged=M".
EOF
}

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=/
jar=
start=1
install_java=0
dry_run=0
uninstall=0

die() { echo "install.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || die "--jar needs a file"; jar=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; root=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    --install-java) install_java=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; echo >&2; die "unknown option: $1" ;;
  esac
done

if [ "$root" != / ]; then
  [ -d "$root" ] || die "--root $root: no such directory"
  root=$(cd "$root" && pwd)
fi

# Node paths, as the unit and the config name them.
opt_dir=/opt/kube-audit-agent
launcher_link=/usr/local/bin/kube-audit-agent
config_dir=/etc/kube-audit-agent
state_dir=/var/lib/kube-audit-agent
unit=/etc/systemd/system/kube-audit-agent.service

changed=0
unchanged=0

# The host path of a node path (under --root).
host() {
  if [ "$root" = / ]; then printf '%s' "$1"; else printf '%s%s' "$root" "$1"; fi
}

report() {
  # $1: changed|unchanged|kept|removed|absent|skipped, $2: node path or what happened
  local verb=$1
  if [ "$dry_run" = 1 ] && [ "$verb" != unchanged ] && [ "$verb" != kept ] && [ "$verb" != absent ] && [ "$verb" != skipped ]; then
    verb="would-$verb"
  fi
  printf '%-16s %s\n' "$verb" "$2"
}

count_change() { changed=$((changed + 1)); report "$@"; }
count_same() { unchanged=$((unchanged + 1)); report "$@"; }

# install_file SRC NODE_PATH MODE: atomic (temp file in the target directory, then rename), only when
# content or mode differ, so unchanged files keep their mtime.
install_file() {
  local src=$1 dest target tmp
  dest=$2
  target=$(host "$dest")
  if [ -f "$target" ] && [ ! -L "$target" ] && cmp -s "$src" "$target" && [ "$(stat -c %a "$target")" = "$3" ]; then
    count_same unchanged "$dest"
    return
  fi
  count_change changed "$dest"
  [ "$dry_run" = 1 ] && return
  mkdir -p "$(dirname "$target")"
  tmp=$(mktemp "$(dirname "$target")/.$(basename "$target").XXXXXX")
  cp "$src" "$tmp"
  chmod "$3" "$tmp"
  mv -f "$tmp" "$target"
}

# install_dir NODE_PATH MODE: created when missing; an existing directory keeps its mode (an operator's choice).
install_dir() {
  local target
  target=$(host "$1")
  if [ -d "$target" ]; then
    count_same unchanged "$1/"
    return
  fi
  count_change changed "$1/"
  [ "$dry_run" = 1 ] && return
  mkdir -p "$target"
  chmod "$2" "$target"
}

# install_link NODE_PATH TARGET: a relative target, so the link works the same under --root.
install_link() {
  local link
  link=$(host "$1")
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$2" ]; then
    count_same unchanged "$1"
    return
  fi
  count_change changed "$1 -> $2"
  [ "$dry_run" = 1 ] && return
  mkdir -p "$(dirname "$link")"
  ln -sfn "$2" "$link"
}

remove() {
  local target
  target=$(host "$1")
  if [ ! -e "$target" ] && [ ! -L "$target" ]; then
    count_same absent "$1"
    return
  fi
  count_change removed "$1"
  [ "$dry_run" = 1 ] && return
  rm -rf -- "$target"
}

# systemctl only on the real root of a machine booted with systemd.
systemd_usable() {
  if [ "$root" != / ]; then
    report skipped "systemctl: --root installs into a sandbox"
    return 1
  fi
  if [ ! -d /run/systemd/system ]; then
    report skipped "systemctl: this machine was not booted with systemd; run the agent with: kube-audit-agent run"
    return 1
  fi
  return 0
}

java_major() {
  local line
  command -v java >/dev/null 2>&1 || { echo 0; return; }
  line=$(java -version 2>&1 | head -n 1)
  # 'openjdk version "17.0.15" 2025-04-15' or 'java version "1.8.0_392"'
  line=${line#*\"}
  line=${line%%\"*}
  case "$line" in
    1.*) line=${line#1.}; echo "${line%%.*}" ;;
    *) echo "${line%%[.+-]*}" ;;
  esac
}

ensure_java() {
  local major
  major=$(java_major)
  if [ "$major" -ge 17 ] 2>/dev/null; then
    count_same unchanged "java $major (17+ required)"
    return
  fi
  local found="no java on PATH"
  [ "$major" = 0 ] || found="java $major"
  if [ "$install_java" != 1 ]; then
    die "Java 17 or newer is required ($found). Install your distribution's JRE (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; RHEL: dnf install java-17-openjdk-headless) or rerun with --install-java"
  fi
  [ "$root" = / ] || die "--install-java changes this machine, not the sandbox; it cannot be combined with --root"
  count_change changed "java: installing the distribution's Java runtime ($found)"
  [ "$dry_run" = 1 ] && return
  if command -v apt-get >/dev/null 2>&1; then
    local pkg
    apt-get update -qq
    for pkg in openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless; do
      if apt-cache show "$pkg" >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
        break
      fi
    done
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q java-17-openjdk-headless
  elif command -v yum >/dev/null 2>&1; then
    yum install -y -q java-17-openjdk-headless
  elif command -v zypper >/dev/null 2>&1; then
    zypper --non-interactive install java-17-openjdk-headless
  else
    die "no apt-get, dnf, yum or zypper here: install a Java 17+ runtime yourself"
  fi
  major=$(java_major)
  [ "$major" -ge 17 ] 2>/dev/null || die "installed a Java runtime but 'java' is still not 17+ (found $major); check update-alternatives --config java"
}

find_jar() {
  if [ -n "$jar" ]; then
    [ -f "$jar" ] || die "--jar $jar: no such file"
    [ "$(head -c 2 "$jar")" = PK ] || die "--jar $jar: not a jar (zip) file"
    return
  fi
  [ -f "$here/pom.xml" ] || die "no --jar given and $here is not a source checkout to build one from"
  command -v mvn >/dev/null 2>&1 || die "no --jar given and Maven (mvn) is not installed to build one"
  echo "building the jar with Maven (mvn package)..." >&2
  (cd "$here" && mvn -q -B -DskipTests package >&2) || die "the Maven build failed; see its output above"
  jar=$here/agent/target/kube-audit-agent.jar
}

do_install() {
  ensure_java
  find_jar
  install_dir "$opt_dir" 0755
  install_file "$jar" "$opt_dir/kube-audit-agent.jar" 644
  install_file "$here/kube-audit-agent" "$opt_dir/kube-audit-agent" 755
  install_link "$launcher_link" ../../../opt/kube-audit-agent/kube-audit-agent
  [ ! -f "$here/README.md" ] || install_file "$here/README.md" "$opt_dir/README.md" 644
  install_file "$here/config/config.yaml" "$opt_dir/config.yaml.default" 644
  if [ -d "$here/policies" ]; then
    local p
    for p in "$here"/policies/*.yaml; do
      [ -f "$p" ] && install_file "$p" "$opt_dir/policies/$(basename "$p")" 644
    done
  fi
  # The config may name token files and hold headers: private to root.
  install_dir "$config_dir" 0700
  if [ -e "$(host "$config_dir/config.yaml")" ]; then
    count_same kept "$config_dir/config.yaml (never overwritten; the shipped default is $opt_dir/config.yaml.default)"
  else
    install_file "$here/config/config.yaml" "$config_dir/config.yaml" 600
  fi
  install_dir "$state_dir" 0700
  local unit_before=$changed
  install_file "$here/systemd/kube-audit-agent.service" "$unit" 644
  local unit_changed=$((changed - unit_before))
  local code_changed=$((changed - unit_changed))

  systemd_usable || return 0
  if [ "$unit_changed" -gt 0 ]; then
    count_change changed "systemctl daemon-reload"
    [ "$dry_run" = 1 ] || systemctl daemon-reload
  fi
  if [ "$start" != 1 ]; then
    report skipped "systemctl enable --now (--no-start); start it with: systemctl enable --now kube-audit-agent"
    return 0
  fi
  if systemctl is-enabled --quiet kube-audit-agent.service && systemctl is-active --quiet kube-audit-agent.service; then
    if [ "$code_changed" -gt 0 ]; then
      # An upgrade: the running agent restarts on the new jar; the API server restarts only if its setup differs.
      count_change changed "systemctl restart kube-audit-agent (new files)"
      [ "$dry_run" = 1 ] || systemctl restart kube-audit-agent.service
    else
      count_same unchanged "kube-audit-agent.service enabled and running"
    fi
  else
    count_change changed "systemctl enable --now kube-audit-agent"
    [ "$dry_run" = 1 ] || systemctl enable --now kube-audit-agent.service
  fi
}

do_uninstall() {
  if systemd_usable; then
    if systemctl is-enabled --quiet kube-audit-agent.service 2>/dev/null || systemctl is-active --quiet kube-audit-agent.service; then
      count_change changed "systemctl disable --now kube-audit-agent"
      [ "$dry_run" = 1 ] || systemctl disable --now kube-audit-agent.service
    fi
  fi
  remove "$unit"
  remove "$launcher_link"
  remove "$opt_dir"
  if [ "$root" = / ] && [ -d /run/systemd/system ] && [ "$dry_run" != 1 ]; then
    systemctl daemon-reload
  fi
  report kept "$config_dir (config)"
  report kept "$state_dir (checkpoints, backup copies)"
  report kept "/var/log/kubernetes/audit (audit logs) and the setup's backups in /tmp"
  echo "note: the API server keeps auditing with the installed policy; to undo the setup, run 'kube-audit-agent teardown' before --uninstall" >&2
}

if [ "$uninstall" = 1 ]; then
  do_uninstall
else
  do_install
fi
echo "summary: changed=$changed unchanged=$unchanged"
