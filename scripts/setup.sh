#!/usr/bin/env bash
# One command sets up everything the suite needs: npm packages, then a browser per engine.
# Playwright's own browsers come first; where they cannot be downloaded (no internet), the
# system's packages stand in: Debian chromium-headless-shell, firefox-esr, and WebKitGTK + Xvfb.
# Idempotent: what is already there is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

# --- npm packages ------------------------------------------------------------------------
if [ -f package-lock.json ] && [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

# --- browsers ------------------------------------------------------------------------------
# Which of Playwright's browsers are installed already (prints the missing ones).
missing_playwright_browsers() {
  node --input-type=module -e "
    import { chromium, firefox, webkit } from '@playwright/test';
    import { existsSync } from 'node:fs';
    const missing = Object.entries({ chromium, firefox, webkit })
      .filter(([, type]) => !existsSync(type.executablePath())).map(([name]) => name);
    console.log(missing.join(' '));"
}

missing=$(missing_playwright_browsers)
system_needed=()
if [ "${CORS_ENGINES:-auto}" = system ]; then
  system_needed=(chromium firefox webkit)
elif [ -n "$missing" ]; then
  for browser in $missing; do
    # Fails within seconds where there is no internet; then the system's browser stands in.
    if npx playwright install "$browser" >/tmp/cors-setup-playwright-"$browser".log 2>&1; then
      say "installed Playwright's $browser"
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        npx playwright install-deps "$browser" >/dev/null 2>&1 || say "warning: could not install $browser's system libraries; see \`npx playwright install-deps $browser\`"
      fi
    else
      system_needed+=("$browser")
    fi
  done
fi
[ ${#system_needed[@]} -eq 0 ] && { say "browsers ready (Playwright's)"; exit 0; }

declare -A packages_for=(
  [chromium]="chromium-headless-shell chromium"
  [firefox]="firefox-esr"
  [webkit]="webkit2gtk-driver xvfb"
)
packages=()
for browser in "${system_needed[@]}"; do
  for pkg in ${packages_for[$browser]}; do
    dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || packages+=("$pkg")
  done
done
say "Playwright's ${system_needed[*]} could not be downloaded; using the system's browsers instead (Debian packages)"
if [ ${#packages[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { say "error: no apt-get here; install ${packages[*]} with your package manager, or run \`npx playwright install\` where the internet is reachable"; exit 1; }
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
say "browsers ready (system: ${system_needed[*]})"
