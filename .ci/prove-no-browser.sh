#!/usr/bin/env bash
# Proves the README's test command on a machine with no browser installed, from a fresh clone of
# the current commit, in a private mount namespace where every Chrome/Chromium the finder could
# reach (and the system's NSS libraries the bundled one must not borrow) is hidden by bind mounts:
#   1. `npm install`, the build and the viewer's browser tests pass, the tests running in the
#      Chromium that the @sparticuz/chromium npm package ships (the rest of `npm test` never looks
#      for a browser and runs in .ci/run; running it twice cost CI six minutes);
#   2. with that package hidden too, the browser tests are reported skipped with the printed reason
#      (none passed), and the run still exits 0;
#   3. the same with TRACEWRIGHT_REQUIRE_BROWSER=1 fails.
# Run by .ci/run once, before the README's own command (not from `npm test`, which would recurse);
# the clone is deleted on exit, so only one install is on disk at a time. Needs root and `unshare -m`:
# without them it says so and skips, except under CI=true, where that is a failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

if [ "${TW_PROOF_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
    why="cannot hide the machine's browsers: this needs root and 'unshare -m'"
    if [ "${CI:-}" = true ]; then echo "prove-no-browser: FAILED, $why" >&2; exit 1; fi
    echo "prove-no-browser: skipped, $why"
    exit 0
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/tw-no-browser.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  start=$SECONDS
  git clone -q "$repo" "$work/repo"
  git -C "$work/repo" checkout -q --detach "$(git -C "$repo" rev-parse HEAD)"
  echo "prove-no-browser: cloned $(git -C "$work/repo" rev-parse --short HEAD) in $((SECONDS - start)) s"
  # The explicit choices would bypass the search; the proof is about a machine that has none.
  env -u TRACEWRIGHT_CHROMIUM -u CHROME_PATH -u PLAYWRIGHT_BROWSERS_PATH -u TRACEWRIGHT_REQUIRE_BROWSER \
    TW_PROOF_INSIDE=1 TW_PROOF_WORK="$work" unshare -m --propagation private bash "$0"
  exit $?
fi

# --- inside the private mount namespace ----------------------------------------------------------
# Everything made here is under $work, which the outer script deletes.
clone=$TW_PROOF_WORK/repo
empty_dir=$(mktemp -d "$TW_PROOF_WORK/empty-dir.XXXXXX")
empty_file=$(mktemp "$TW_PROOF_WORK/empty-file.XXXXXX")
chmod 644 "$empty_file" # not executable, so the finder passes it by
hide() {
  local p
  for p in "$@"; do
    if [ -d "$p" ]; then mount --bind "$empty_dir" "$p"
    elif [ -e "$p" ]; then mount --bind "$empty_file" "$p"
    fi
  done
}
names=(chromium chromium-browser google-chrome google-chrome-stable chrome)
for n in "${names[@]}"; do
  while read -r p; do hide "$p" "$(readlink -f "$p")"; done < <(type -ap "$n" || true)
  hide "/usr/bin/$n" "/usr/local/bin/$n" "/snap/bin/$n"
done
hide /usr/lib/chromium /usr/lib/chromium-browser /opt/google/chrome \
  "${XDG_CACHE_HOME:-$HOME/.cache}/ms-playwright"
# The NSS libraries Debian's chromium brought: the bundled build must use its own copies.
while read -r lib; do hide "$lib" "$(readlink -f "$lib")"; done < <(
  "$(command -v ldconfig || echo /sbin/ldconfig)" -p | awk '$1 ~ /^lib(nss3|nssutil3|nspr4|plc4|plds4|softokn3|freebl3|freeblpriv3|expat)\.so/ { print $NF }'
)
for n in "${names[@]}"; do
  if p=$(command -v "$n") && [ -x "$p" ]; then echo "prove-no-browser: FAILED, $p is still visible" >&2; exit 1; fi
done
[ ! -x /usr/bin/chromium ] || { echo "prove-no-browser: FAILED, /usr/bin/chromium is still visible" >&2; exit 1; }

cd "$clone"
log=$TW_PROOF_WORK/vitest.log
report=test-artifacts/vitest-report.json
browser_file=packages/cli/src/viewer/viewer.browser.test.ts
# Sums the browser file's results in vitest's JSON report: "passed skipped failed".
browser_counts() {
  node -e '
    const r = require(process.argv[1]);
    const f = r.testResults.find((t) => t.name.endsWith(process.argv[2]));
    const n = (s) => (f ? f.assertionResults.filter((a) => a.status === s).length : 0);
    console.log(`${n("passed")} ${n("pending") + n("skipped")} ${n("failed")}`);
  ' "$clone/$report" "$browser_file"
}
fail() { echo "prove-no-browser: FAILED, $*" >&2; exit 1; }

# 1. Install and build as the README's test command does (the npm cache is warm, so install
#    prefers it), then the browser tests.
start=$SECONDS
set +e
(npm install --prefer-offline --no-audit --no-fund && npm run build && NO_COLOR=1 npx vitest run "$browser_file") 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
echo "prove-no-browser: install, build and browser tests took $((SECONDS - start)) s, exit $code"
[ "$code" = 0 ] || fail "install, build or the browser tests exited $code with no system browser"
grep -q 'viewer browser tests use .*(@sparticuz/chromium ' "$log" || fail "the browser tests did not use the bundled Chromium"
read -r passed skipped failed < <(browser_counts)
[ "$passed" -gt 0 ] && [ "$skipped" = 0 ] && [ "$failed" = 0 ] ||
  fail "browser tests: $passed passed, $skipped skipped, $failed failed (expected all to pass)"
echo "prove-no-browser: 1/3 ok, exit 0 and $passed browser tests passed in the bundled Chromium"

# 2. No browser at all (as on macOS or Windows without Chrome): skipped, with the reason printed.
hide node_modules/@sparticuz/chromium
start=$SECONDS
set +e
NO_COLOR=1 npx vitest run "$browser_file" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
[ "$code" = 0 ] || fail "with no browser at all the browser tests exited $code instead of skipping"
grep -q "^ SKIPPED [0-9]* tests in $browser_file: browser tests skipped: no Chrome or Chromium found" "$log" ||
  fail "the skip reason was not printed"
read -r passed skipped failed < <(browser_counts)
[ "$passed" = 0 ] && [ "$skipped" -gt 0 ] && [ "$failed" = 0 ] ||
  fail "browser tests: $passed passed, $skipped skipped, $failed failed (expected all skipped)"
echo "prove-no-browser: 2/3 ok, $skipped browser tests reported skipped with the reason, none passed ($((SECONDS - start)) s)"

# 3. CI's variable turns that skip into a failure.
start=$SECONDS
set +e
TRACEWRIGHT_REQUIRE_BROWSER=1 NO_COLOR=1 npx vitest run "$browser_file" >"$log" 2>&1
code=$?
set -e
[ "$code" != 0 ] || fail "TRACEWRIGHT_REQUIRE_BROWSER=1 did not fail the run without a browser"
grep -q 'TRACEWRIGHT_REQUIRE_BROWSER=1 but no Chrome or Chromium found' "$log" || fail "the failure does not say why"
echo "prove-no-browser: 3/3 ok, TRACEWRIGHT_REQUIRE_BROWSER=1 makes it a failure (exit $code, $((SECONDS - start)) s)"
