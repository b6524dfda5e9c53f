#!/usr/bin/env bash
# Installs kube-audit-agent on this control-plane node (or into a sandbox with --root), or removes it.
# Idempotent: every file is compared first and written only when it differs; a second run reports
# "unchanged" for everything. An operator's /etc/kube-audit-agent/config.yaml is never overwritten.
# A first install (no config yet) enables the service but does not start it: starting it turns auditing on,
# which restarts the API server, and that waits until someone has reviewed the config (or --start says so).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: install.sh [options]

  --jar FILE       install this jar (default: the release bundle's kube-audit-agent.jar, else build
                   it from this checkout with Maven)
  --root DIR       install under DIR instead of / (a sandbox: the service is enabled there, offline,
                   but never started)
  --start          start the service on a first install too (the config was written beforehand, as
                   the Ansible role does); without it a first install enables but does not start
  --no-start       install and reload systemd, but do not enable or start the service
  --install-java   install the distribution's Java 17+ runtime when none is found
  --dry-run        print what would change, change nothing
  --uninstall      remove the service, launcher and /opt/kube-audit-agent; keep config,
                   checkpoints, audit logs and backups. Refused while the API server's manifest
                   still carries the agent's audit settings: run 'kube-audit-agent teardown' first
  --teardown       with --uninstall: run 'kube-audit-agent teardown' first, then uninstall
  -h, --help       show this help

A rerun with a config in place keeps the service running (restarted when files changed).
Each file is reported as changed or unchanged; the last line is "summary: changed=N unchanged=M".
EOF
}

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=/
jar=
start=auto
install_java=0
dry_run=0
uninstall=0
teardown=0

die() { echo "install.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || die "--jar needs a file"; jar=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; root=$2; shift 2 ;;
    --start) start=always; shift ;;
    --no-start) start=never; shift ;;
    --install-java) install_java=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    --teardown) teardown=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; echo >&2; die "unknown option: $1" ;;
  esac
done

if [ "$root" != / ]; then
  [ -d "$root" ] || die "--root $root: no such directory"
  root=$(cd "$root" && pwd)
fi
[ "$teardown" = 0 ] || [ "$uninstall" = 1 ] || die "--teardown goes with --uninstall"
[ "$uninstall" = 0 ] || [ "$start" = auto ] || die "--start and --no-start do not go with --uninstall"

# Node paths, as the unit and the config name them.
opt_dir=/opt/kube-audit-agent
launcher_link=/usr/local/bin/kube-audit-agent
config_dir=/etc/kube-audit-agent
state_dir=/var/lib/kube-audit-agent
unit=/etc/systemd/system/kube-audit-agent.service
completion=/usr/local/share/bash-completion/completions/kube-audit-agent
man_page=/usr/local/share/man/man1/kube-audit-agent.1

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

# A running systemd (daemon-reload, start, stop, restart): only on the real root of a machine booted with it.
systemd_running() {
  [ "$root" = / ] && [ -d /run/systemd/system ]
}

# Enabling is only links, which systemctl makes offline too: under --root, or on a machine not booted with systemd.
systemctl_links() {
  if [ "$root" = / ]; then systemctl "$@"; else systemctl --root="$root" "$@"; fi
}

have_systemctl() {
  if ! command -v systemctl >/dev/null 2>&1; then
    report skipped "systemctl: not installed; run the agent with: kube-audit-agent run"
    return 1
  fi
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
  if [ -z "$jar" ] && [ -f "$here/kube-audit-agent.jar" ]; then
    jar=$here/kube-audit-agent.jar  # a release bundle
  fi
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

# The completion and the man page come from the jar being installed (one run writes both), so they describe the
# commands it has.
install_docs() {
  local generated
  generated=$(mktemp -d)
  if ! java -jar "$jar" docs "$generated" >/dev/null; then
    rm -rf "$generated"
    die "cannot write the completion and man page with: java -jar $jar docs DIR"
  fi
  install_file "$generated/kube-audit-agent.bash" "$completion" 644
  install_file "$generated/kube-audit-agent.1" "$man_page" 644
  rm -rf "$generated"
}

do_install() {
  ensure_java
  find_jar
  install_dir "$opt_dir" 0755
  install_file "$jar" "$opt_dir/kube-audit-agent.jar" 644
  install_file "$here/kube-audit-agent" "$opt_dir/kube-audit-agent" 755
  install_link "$launcher_link" ../../../opt/kube-audit-agent/kube-audit-agent
  local doc
  for doc in README.md LICENSE; do
    [ ! -f "$here/$doc" ] || install_file "$here/$doc" "$opt_dir/$doc" 644
  done
  install_file "$here/config/config.yaml" "$opt_dir/config.yaml.default" 644
  if [ -d "$here/policies" ]; then
    local p
    for p in "$here"/policies/*.yaml; do
      [ -f "$p" ] && install_file "$p" "$opt_dir/policies/$(basename "$p")" 644
    done
  fi
  install_docs
  # The config may name token files and hold headers: private to root.
  install_dir "$config_dir" 0700
  local first_install=0
  if [ -e "$(host "$config_dir/config.yaml")" ]; then
    count_same kept "$config_dir/config.yaml (never overwritten; the shipped default is $opt_dir/config.yaml.default)"
  else
    first_install=1
    install_file "$here/config/config.yaml" "$config_dir/config.yaml" 600
  fi
  install_dir "$state_dir" 0700
  local unit_before=$changed
  install_file "$here/systemd/kube-audit-agent.service" "$unit" 644
  local unit_changed=$((changed - unit_before))
  local code_changed=$((changed - unit_changed))

  have_systemctl || return 0
  if systemd_running && [ "$unit_changed" -gt 0 ]; then
    count_change changed "systemctl daemon-reload"
    [ "$dry_run" = 1 ] || systemctl daemon-reload
  fi
  if [ "$start" = never ]; then
    report skipped "systemctl enable --now (--no-start); start it with: systemctl enable --now kube-audit-agent"
    return 0
  fi
  if systemctl_links is-enabled --quiet kube-audit-agent.service 2>/dev/null; then
    count_same unchanged "kube-audit-agent.service enabled"
  else
    count_change changed "systemctl enable kube-audit-agent"
    [ "$dry_run" = 1 ] || systemctl_links enable --quiet kube-audit-agent.service
  fi
  local waits=0
  [ "$first_install" = 0 ] || [ "$start" = always ] || waits=1
  if ! systemd_running; then
    if [ "$root" = / ]; then
      report skipped "systemctl start: this machine was not booted with systemd; run the agent with: kube-audit-agent run"
    else
      report skipped "systemctl start: --root installs into a sandbox"
    fi
  elif [ "$waits" = 1 ]; then
    report skipped "systemctl start: a first install waits until the config is reviewed"
  elif systemctl is-active --quiet kube-audit-agent.service; then
    if [ "$code_changed" -gt 0 ]; then
      # An upgrade: the running agent restarts on the new jar; the API server restarts only if its setup differs.
      count_change changed "systemctl restart kube-audit-agent (new files)"
      [ "$dry_run" = 1 ] || systemctl restart kube-audit-agent.service
    else
      count_same unchanged "kube-audit-agent.service running"
    fi
  else
    count_change changed "systemctl start kube-audit-agent"
    [ "$dry_run" = 1 ] || systemctl start kube-audit-agent.service
  fi
  if [ "$waits" = 1 ]; then
    cat >&2 <<EOF
next steps: the service is enabled but not started, because starting it turns auditing on and so restarts the API server.
  1. edit $config_dir/config.yaml: at least ship.destinations (where the events go) and audit.policy
  2. check it: kube-audit-agent run --validate; see the manifest change: kube-audit-agent setup --dry-run
  3. start it: systemctl start kube-audit-agent   (install.sh --start does this on a first install)
EOF
  fi
}

# Whether the API server's manifest still carries what setup added, as the installed agent sees it (its config and
# manifest path). Succeeds when it does.
manifest_managed() {
  local agent status
  agent=$(host "$opt_dir/kube-audit-agent")
  if [ ! -x "$agent" ]; then
    # No program to ask (a half-removed install): look for setup's annotation at the default manifest path.
    grep -qs 'kube-audit-agent/managed' "$(host /etc/kubernetes/manifests/kube-apiserver.yaml)"
    return
  fi
  # status exits non-zero when something is unhealthy; its JSON says what is there either way.
  status=$("$agent" status --root "$root" --output json 2>/dev/null) || true
  [ -n "$status" ] || die "cannot ask the installed agent whether auditing is still set up; run '$agent status --root $root' to see why"
  printf '%s' "$status" | grep -Eq '"manifestManaged" *: *true'
}

do_uninstall() {
  # The program goes last: teardown needs it.
  if manifest_managed; then
    [ "$teardown" = 1 ] || die "the API server's manifest still carries the agent's audit settings: run 'kube-audit-agent teardown' first (or install.sh --uninstall --teardown); nothing was removed"
    count_change changed "kube-audit-agent teardown"
    if [ "$dry_run" != 1 ]; then
      "$(host "$opt_dir/kube-audit-agent")" teardown --root "$root" >&2 || die "teardown failed (see above); nothing was removed"
    fi
  fi
  if have_systemctl; then
    if systemd_running && systemctl is-active --quiet kube-audit-agent.service; then
      count_change changed "systemctl stop kube-audit-agent"
      [ "$dry_run" = 1 ] || systemctl stop kube-audit-agent.service
    fi
    if systemctl_links is-enabled --quiet kube-audit-agent.service 2>/dev/null; then
      count_change changed "systemctl disable kube-audit-agent"
      [ "$dry_run" = 1 ] || systemctl_links disable --quiet kube-audit-agent.service
    fi
  fi
  remove "$unit"
  remove "$launcher_link"
  remove "$completion"
  remove "$man_page"
  remove "$opt_dir"
  if systemd_running && [ "$dry_run" != 1 ]; then
    systemctl daemon-reload
  fi
  report kept "$config_dir (config)"
  report kept "$state_dir (checkpoints, backup copies)"
  report kept "/var/log/kubernetes/audit (audit logs) and the setup's backups in /tmp"
}

if [ "$uninstall" = 1 ]; then
  do_uninstall
else
  do_install
fi
echo "summary: changed=$changed unchanged=$unchanged"
