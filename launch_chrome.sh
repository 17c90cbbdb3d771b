#!/usr/bin/env bash
# Opens Chrome or Chromium on a videocall meeting with the flags local WebTransport needs when the
# page cannot pin the server's certificate by hash (other browsers of the Chromium family, older
# versions, certificates valid 14 days or more): QUIC forced on for the server's origin and its
# self-signed certificate accepted by its public-key hash. Uses a throw-away profile.
#
# With the page itself on HTTPS and a self-signed or private certificate (--https-self-signed), the
# page's certificate is accepted by its public-key hash too.
#
# usage: ./launch_chrome.sh [SERVER_URL] [USER] [MEETING]
#   e.g. ./launch_chrome.sh http://localhost:8080 alice demo
#        ./launch_chrome.sh https://192.168.1.20:8080 alice demo
set -euo pipefail
server="${1:-http://localhost:8080}"
user="${2:-guest}"
meeting="${3:-demo}"

browser="${CHROME:-}"
if [ -z "$browser" ]; then
  for candidate in google-chrome google-chrome-stable chromium chromium-browser \
      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    if command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ]; then
      browser="$candidate"
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "no Chrome or Chromium found; set CHROME=/path/to/browser" >&2
  exit 1
fi

# --insecure: this only fetches which public keys to accept, for a throw-away profile; the
# certificate may well be self-signed
info=$(curl -fsS --insecure "$server/api/webtransport") || {
  echo "cannot reach $server/api/webtransport: is the server running?" >&2
  exit 1
}
field() { printf '%s' "$info" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
wt_url=$(field url)
spki=$(field spkiSha256)
page_spki=$(field httpsSpkiSha256)
if [ -n "$page_spki" ] && [ "$page_spki" != "$spki" ]; then
  spki="$spki,$page_spki"
fi
origin=${wt_url#https://}

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
echo "WebTransport at $wt_url (certificate public key sha-256 $spki)"
"$browser" \
  --user-data-dir="$profile" \
  --no-first-run \
  --enable-quic \
  --origin-to-force-quic-on="$origin" \
  --ignore-certificate-errors-spki-list="$spki" \
  "$server/meeting/$user/$meeting"
