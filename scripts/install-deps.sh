#!/usr/bin/env bash
# Installs what Culprit needs on Debian 12 (bookworm): the kernel build tools, ccache, QEMU and
# busybox for the VMs, the 6.1 kernel source the tests import, PostgreSQL for the service's cluster
# and Chromium with its driver for the dashboard's browser tests. Idempotent: when every
# package is already installed it only checks (no apt-get update, no network).
# usage: sudo scripts/install-deps.sh
set -euo pipefail

packages=(
    make gcc libc6-dev flex bison bc perl libelf-dev libssl-dev   # kernel build
    git xz-utils cpio ccache                                       # sources, initramfs, --ccache
    qemu-system-x86 busybox-static                                 # VMs
    linux-source-6.1                                               # tests: /usr/src/linux-source-6.1.tar.xz
    postgresql                                                     # the service's cluster store (tests start their own server)
    chromium chromium-driver                                       # dashboard tests in a real browser
)

# One dpkg-query for all: packages it does not know are missing too.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
missing=()
for p in "${packages[@]}"; do
    if ! grep -qxF -- "$p" <<<"$installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "all ${#packages[@]} packages are installed"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
echo "installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
