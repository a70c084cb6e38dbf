#!/usr/bin/env bash
# Runs a command with a real, unlocked gnome-keyring on the current session bus
# (call it inside dbus-run-session), then stops the daemon by its PID.
set -euo pipefail
# A non-empty password on stdin makes the daemon create and unlock a login
# collection; an empty stdin creates none.
export FRONTDESK_KEYRING_PASSWORD="frontdesk-e2e" # the e2e tests unlock again after locking it
# The daemon keeps its collections in a folder of this run's own: with the
# user's ~/.local/share/keyrings, two runs at once (a local run beside CI)
# shared one login keyring file, and one run's clean-up deleted the other's
# items under it.
keyring_data=$(mktemp -d)
XDG_DATA_HOME=$keyring_data gnome-keyring-daemon --unlock --components=secrets --foreground >/dev/null 2>&1 <<<"$FRONTDESK_KEYRING_PASSWORD" &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null || true; rm -rf "$keyring_data"' EXIT
for _ in $(seq 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
    break
  fi
  sleep 0.1
done
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" ||
  { echo "frontdesk: gnome-keyring-daemon did not take org.freedesktop.secrets" >&2; exit 1; }
export FRONTDESK_KEYRING_PID=$keyring_pid
"$@"
