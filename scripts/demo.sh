#!/usr/bin/env bash
# Installs what Culprit needs, builds it, creates the built-in example repository and bisects it.
# Extra arguments go to `culprit demo` (e.g. --flaky, --fix, --json result.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
exec "$root/culprit" demo "$@"
