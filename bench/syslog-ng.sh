#!/usr/bin/env bash
# Unpacks Debian's syslog-ng 3.38 (syslog-ng-core, syslog-ng-mod-http and the libraries a Debian 12 machine may
# lack) into a folder, without installing anything: bench/run.sh then runs it beside the agent (SYSLOGNG_ROOT,
# default bench/work/syslog-ng). Needs apt-get with the Debian 12 (bookworm) sources.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=${1:-${SYSLOGNG_ROOT:-$here/work/syslog-ng}}
debs=$(mktemp -d)
trap 'rm -rf "$debs"' EXIT
(cd "$debs" && apt-get download syslog-ng-core syslog-ng-mod-http libivykis0 libwrap0 libnet1 libpcre3 libjson-c5 libcurl4)
mkdir -p "$dest"
for deb in "$debs"/*.deb; do dpkg -x "$deb" "$dest"; done
LD_LIBRARY_PATH="$dest/usr/lib/x86_64-linux-gnu:$dest/lib/x86_64-linux-gnu:$dest/usr/lib/syslog-ng" \
  "$dest/usr/sbin/syslog-ng" --version | head -1
echo "syslog-ng unpacked in $dest"
