#!/usr/bin/env bash
# Refreshes the README's screenshots in docs/ from the pictures the last test
# run left in e2e/out (scripts/test.sh, or the e2e tests named below). Tests
# never write into docs/: a picture there changes only when someone runs this
# on purpose and commits what `git diff --stat docs/` shows.
#
#   scripts/screenshots.sh          copy every picture e2e/out has
#   scripts/screenshots.sh --check  only say which ones differ (exit 1 if any)
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) echo "usage: scripts/screenshots.sh [--check]" >&2; exit 2 ;;
esac

# docs picture <- e2e/out picture : the e2e test that takes it.
map=(
  "docs/screenshots/console-list.png             console-list.png             TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-dark.png             console-dark.png             TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-light.png            console-light.png            TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-busy-day.png         console-busy-day.png         TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-favourite-on-top.png console-favourite-on-top.png TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-after-f5.png         console-after-f5.png         TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-out-of-office.png    console-out-of-office.png    TestKeyboardPathUnderXvfb"
  "docs/screenshots/console-actions.png          console-actions.png          TestCtrlTOpensATeamsChatUnderXvfb"
  "docs/screenshots/message-picker.png           message-picker.png           TestCtrlTOpensATeamsChatUnderXvfb"
  "docs/screenshots/message-form.png             message-form.png             TestTakeAMessageSendsAnEmailUnderXvfb"
  "docs/screenshots/messages-log.png             messages-log.png             TestMessageLogUnderXvfb"
  "docs/welcome.png                              window-welcome.png           TestWindowFirstRunExchange"
  "docs/signin.png                               window-signin.png            TestWindowMicrosoft365SignInAndOut"
  "docs/device-code.png                          window-device-code.png       TestWindowMicrosoft365SignInAndOut"
  "docs/banner.png                               window-exchange-banner.png   TestWindowExchangePasswordPrompt"
  "docs/settings-policy.png                      window-settings-policy.png   TestWindowSettingsPolicyLockedKey"
)

copied=0 differ=0 missing=()
for entry in "${map[@]}"; do
  read -r dest src test <<<"$entry"
  if [ ! -f "e2e/out/$src" ]; then
    missing+=("e2e/out/$src (go test ./e2e -run '^$test\$' with FRONTDESK_E2E=1, as scripts/test.sh runs it)")
    continue
  fi
  if cmp -s "e2e/out/$src" "$dest"; then
    continue
  fi
  differ=$((differ + 1))
  if $check; then
    echo "differs: $dest (from e2e/out/$src)"
  else
    mkdir -p "$(dirname "$dest")"
    cp "e2e/out/$src" "$dest"
    echo "updated: $dest (from e2e/out/$src)"
    copied=$((copied + 1))
  fi
done
for m in "${missing[@]}"; do
  echo "not in e2e/out: $m" >&2
done
if $check; then
  echo "$differ of ${#map[@]} screenshots in docs/ differ from e2e/out"
  [ "$differ" -eq 0 ] && [ ${#missing[@]} -eq 0 ]
else
  echo "$copied of ${#map[@]} screenshots in docs/ updated; review them with git diff --stat docs/ before committing"
fi
