#!/usr/bin/env bash
# Front-end dev loop (TeaVM's Maven plugin has no "run" goal; this is the closest equivalent):
# builds once, serves the app from web-client/target/classes/web (re-read on every request), and
# recompiles the web client (TeaVM + Tailwind) whenever its sources change. Reload the page to see
# the change. Extra arguments go to the server, e.g. ./dev.sh --http-port 9090
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -DskipTests install
java -jar backend/target/videocall-server.jar --web-root web-client/target/classes/web "$@" &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
stamp=$(mktemp)
echo "watching web-client/src, styles/app.css and types/src/main; Ctrl-C to stop"
while sleep 1; do
  kill -0 "$server" 2>/dev/null || exit 1
  if [ -n "$(find web-client/src/main styles/app.css types/src/main -newer "$stamp" -type f -print -quit)" ]; then
    touch "$stamp"
    echo "change detected: rebuilding the web client"
    ./mvnw -q -o -pl types,web-client -DskipTests install && echo "rebuilt: reload the page" \
      || echo "build failed: fix it and save again"
  fi
done
