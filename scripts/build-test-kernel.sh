#!/usr/bin/env bash
# Builds the small x86_64 kernel that Culprit's machine tests boot under QEMU and copies its bzImage
# to OUTDIR/bzImage.
#
#   scripts/build-test-kernel.sh OUTDIR [EXTRA_FRAGMENT...]
#
# Source: Debian's linux-source-6.1 tarball ($LINUX_SOURCE_TARBALL to override). Config: tinyconfig
# + tests/kernel/culprit-test.config + any extra fragments (merged with merge_config.sh -m, then
# olddefconfig). Everything is cached under ${CULPRIT_TEST_CACHE:-$HOME/.cache/culprit-test}/machines-kernel:
# the unpacked source once, and one bzImage per distinct set of config inputs, so a rerun costs a copy.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 OUTDIR [EXTRA_FRAGMENT...]" >&2
    exit 2
fi
outdir=$1
shift
extra=()
for f in "$@"; do
    extra+=("$(realpath -m -- "$f")")
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fragment=$repo_root/tests/kernel/culprit-test.config
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
cache=${CULPRIT_TEST_CACHE:-$HOME/.cache/culprit-test}/machines-kernel

for f in "$fragment" "${extra[@]}"; do
    [[ -f $f ]] || { echo "build-test-kernel: config fragment $f not found" >&2; exit 1; }
done
[[ -f $tarball ]] || { echo "build-test-kernel: $tarball not found: install the Debian package linux-source-6.1" >&2; exit 1; }

mkdir -p "$cache" "$outdir"
# One build at a time, whoever asks (parallel test processes share the cache).
exec 9>"$cache/lock"
flock 9

# The cache key covers every input that changes the kernel: the tarball, the fragments and the recipe
# below (bump recipe when changing how the kernel is configured or built).
recipe=1
key=$( { echo "recipe $recipe"; stat -c '%s %Y' "$tarball"; cat "$fragment" "${extra[@]}"; } | sha256sum | cut -c1-16)
image=$cache/bzImage-$key
if [[ -f $image ]]; then
    cp "$image" "$outdir/bzImage"
    echo "build-test-kernel: cached $image"
    exit 0
fi

src=$cache/linux-source-6.1
if [[ ! -f $src/.culprit-unpacked ]]; then
    rm -rf "$src"
    echo "build-test-kernel: unpacking $tarball"
    tar -C "$cache" -xJf "$tarball"
    touch "$src/.culprit-unpacked"
fi

build=$cache/build-$key
# Under the lock no other build runs: any build directory left is from one that was interrupted.
rm -rf "$cache"/build-*
mkdir -p "$build"
# Fixed build identity: the same inputs give the same image wherever and whenever it is built.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 1970'
export KBUILD_BUILD_USER=culprit KBUILD_BUILD_HOST=culprit KBUILD_BUILD_VERSION=1

make -s -C "$src" O="$build" tinyconfig >/dev/null
# merge_config.sh writes its temporary file into the current directory.
(cd "$build" && "$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "$fragment" "${extra[@]}" >/dev/null)
make -s -C "$src" O="$build" olddefconfig

# An option that olddefconfig dropped (missing dependency, typo) would make the tests fail far from
# the cause: name it here instead.
missing=()
while IFS= read -r line; do
    grep -qxF "$line" "$build/.config" || missing+=("$line")
done < <(grep -hE '^CONFIG_[A-Za-z0-9_]+=' "$fragment" "${extra[@]}")
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "build-test-kernel: olddefconfig dropped: ${missing[*]}" >&2
    exit 1
fi

echo "build-test-kernel: building bzImage in $build"
make -s -C "$src" O="$build" -j"$(nproc)" bzImage
cp "$build/arch/x86/boot/bzImage" "$image.tmp"
mv "$image.tmp" "$image"
rm -rf "$build"
cp "$image" "$outdir/bzImage"
echo "build-test-kernel: built $image"
