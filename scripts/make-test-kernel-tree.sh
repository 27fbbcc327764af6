#!/usr/bin/env bash
# Builds Culprit's real test kernel tree in DEST:
#   DEST/linux                  git repository: Debian's linux-source-6.1 imported as ONE commit
#                               tagged v6.1, then a generated history on top (branch master, tag
#                               culprit-test-head): docs-only commits, commits to drivers that the
#                               test config does not build, a build break and its fix, and exactly
#                               one commit that adds a WARN_ON reachable through sethostname(2).
#   DEST/culprit-test.config    full .config: tinyconfig + tests/kernel/culprit-test.config
#   DEST/culprit-test-tree.env  KEY=value facts about the tree (expected culprit, break, fix, ...)
# Everything is deterministic (fixed names, emails and dates), so the hashes are the same on every
# machine for the same tarball and script. If DEST already holds a complete tree made by the same
# script, fragment and tarball, nothing is done. Needs no network.
#
# usage: scripts/make-test-kernel-tree.sh DEST
#        prints the path of DEST/culprit-test-tree.env on stdout (progress goes to stderr), so
#        `. "$(scripts/make-test-kernel-tree.sh DEST)"` sets repo=, config=, culprit=, ...
# env:   CULPRIT_LINUX_TARBALL (default /usr/src/linux-source-6.1.tar.xz)
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DEST" >&2
    exit 2
fi
dest=$(realpath -m -- "$1")
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
fragment="$here/../tests/kernel/culprit-test.config"
tarball=${CULPRIT_LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}

if [ ! -f "$tarball" ]; then
    echo "error: $tarball not found: install the Debian package linux-source-6.1 (scripts/install-deps.sh)" >&2
    exit 1
fi
for tool in git tar xz make gcc flex bison bc perl flock sha256sum; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool not found: run scripts/install-deps.sh" >&2
        exit 1
    fi
done

# The cache key: this script, the config fragment and the tarball's identity.
version=$( { cat -- "${BASH_SOURCE[0]}" "$fragment"; stat -c '%n %s %Y' -- "$tarball"; } | sha256sum | cut -c1-16)

mkdir -p -- "$(dirname -- "$dest")"
# Several test processes may ask for the tree at once: one builds, the others wait and reuse it.
exec 9>"$dest.lock"
flock 9

if [ -f "$dest/.complete" ] && [ "$(cat -- "$dest/.complete")" = "$version" ]; then
    echo "test kernel tree is up to date: $dest/linux" >&2
    echo "$dest/culprit-test-tree.env"
    exit 0
fi

started=$SECONDS
step() { echo "[$((SECONDS - started))s] $*" >&2; }

rm -rf -- "$dest"
mkdir -p -- "$dest/linux"
repo="$dest/linux"

step "unpacking $tarball"
tar -xJf "$tarball" -C "$repo" --strip-components=1

cd -- "$repo"
git init -q -b master .
# 78k loose objects would make every later git command start an automatic gc that packs them all.
git config gc.auto 0
git config core.autocrlf false

# Fixed identities and dates make every hash reproducible.
when=1670803200 # 2022-12-12 00:00:00 UTC
as() {
    # as NAME EMAIL: the author of the next commit; the committer is always the tree keeper.
    export GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2
    export GIT_COMMITTER_NAME="Tree Keeper" GIT_COMMITTER_EMAIL="keeper@culprit.example.org"
    export GIT_AUTHOR_DATE="$when +0000" GIT_COMMITTER_DATE="$when +0000"
    when=$((when + 3600))
}
touched=()
commit() {
    # commit SUBJECT BODY: commits the files the edits since the last commit touched (naming them
    # is much faster than letting git scan 78k files); fails if nothing changed.
    git add -f -- "${touched[@]}"
    touched=()
    if git diff --cached --quiet; then
        echo "error: nothing changed for commit '$1' (did an edit miss its target?)" >&2
        exit 1
    fi
    git -c core.fsync=none commit -q --no-verify -m "$1" -m "$2" -m "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
}
replace() {
    # replace FILE PERL-REGEX REPLACEMENT: one substitution that must match.
    perl -0pi -e "s{$2}{$3} or die qq(no match in \$ARGV\n)" -- "$1"
    touched+=("$1")
}
append() {
    # append FILE TEXT
    printf '\n%s\n' "$2" >>"$1"
    touched+=("$1")
}
hash() { git rev-parse HEAD; }

step "importing $(find . -path ./.git -prune -o -type f -print | wc -l) files into git"
as "Culprit Test Import" "import@culprit.example.org"
# Debian's tarball carries the kernel's .gitignore files, which would hide much of the tree: -f.
# Uncompressed loose objects: this is a throwaway cache, and zlib would double the time.
git -c core.fsync=none -c core.looseCompression=0 add -f -A .
git -c core.fsync=none commit -q --no-verify -m "Linux 6.1" \
    -m "Imported from Debian's linux-source-6.1 ($(sed -n 's/^SUBLEVEL = //p' Makefile | head -1)) by Culprit's scripts/make-test-kernel-tree.sh."
git tag v6.1
v61=$(hash)

step "writing the history"
as "Ada Writer" "ada@culprit.example.org"
append Documentation/process/howto.rst "A bisection tool such as Culprit can find the commit that introduced a crash; see its README."
commit "docs: howto: mention automated bisection" "Point new developers at automated bisection tools."
docs1=$(hash)

as "Ben Driver" "ben@culprit.example.org"
append drivers/net/ethernet/intel/e1000/e1000_main.c "/* e1000: the watchdog above runs every two seconds; keep it cheap. */"
commit "e1000: document the watchdog period" "No functional change."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/admin-guide/README.rst "If a kernel you built yourself crashes, keep its .config: it is needed to reproduce the crash."
commit "docs: admin-guide: keep the .config of crashing kernels" "Reproducing a crash needs the exact configuration."

as "Cleo Sound" "cleo@culprit.example.org"
append sound/pci/intel8x0.c "/* intel8x0: AC97 codec probing order is documented in the datasheet, section 5. */"
commit "ALSA: intel8x0: note the codec probing order" "No functional change."

as "Eve Timer" "eve@culprit.example.org"
replace init/calibrate.c 'pr_info\("Calibrating delay loop\.\.\. "\);' 'pr_info("Calibrating delay loop ... ");'
commit "init/calibrate: space out the calibration message" "Easier to read on a serial console."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/process/coding-style.rst "Prefer a short comment that says why over a long one that says what."
commit "docs: coding-style: say why, not what" "A small addition to the comments chapter."

as "Ben Driver" "ben@culprit.example.org"
append drivers/gpu/drm/drm_file.c "/* drm_file: open and release are serialised by the device's filelist mutex. */"
commit "drm: document the file list locking" "No functional change."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/admin-guide/kernel-parameters.txt "	Culprit's test tree boots with console=ttyS0 and no other parameter."
commit "docs: kernel-parameters: the test tree's command line" "Documentation only."

# git's first pick on this 33-commit line is its middle, position 16 (the tcp commit): the build
# break (15) and its fix (17) surround it, so the bisection must skip a broken build. The commits
# just before the culprit (17, 18) build, so the answer stays unambiguous.
as "Ada Writer" "ada@culprit.example.org"
append Documentation/filesystems/proc.rst "The hostname shown in /proc/sys/kernel/hostname is the one set by sethostname(2)."
commit "docs: proc: where the hostname comes from" "Clarify the relation between /proc and sethostname."

as "Gus Usb" "gus@culprit.example.org"
append drivers/usb/core/hub.c "/* hub: port power is switched off only after the debounce period. */"
commit "usb: hub: document the port power ordering" "No functional change."

as "Mo Wireless" "mo@culprit.example.org"
append net/bluetooth/hci_core.c "/* Bluetooth: commands are sent one at a time; the next waits for the previous completion. */"
commit "Bluetooth: document command serialisation" "No functional change."

as "Hana Fs" "hana@culprit.example.org"
append fs/btrfs/super.c "/* btrfs: mount options are parsed twice, once for the device list and once for the rest. */"
commit "btrfs: explain the two option parsing passes" "No functional change."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/core-api/printk-basics.rst "Messages printed with WARN() carry the file and line of the warning."
commit "docs: printk: WARN() prints file and line" "Small clarification."

as "Kai Scsi" "kai@culprit.example.org"
append drivers/i2c/busses/i2c-i801.c "/* i801: block transfers fall back to byte-by-byte mode on older chipsets. */"
commit "i2c: i801: document the block transfer fallback" "No functional change."

as "Finn Exit" "finn@culprit.example.org"
replace kernel/exit.c 'do_exit\(\(error_code&0xff\)<<8\);' 'do_exit(exit_code_to_status(error_code));'
commit "exit: use a helper to turn exit codes into status" "Prepares for sharing the conversion with exit_group. The helper comes in a later patch."
broken=$(hash)

as "Ivan Net" "ivan@culprit.example.org"
append net/ipv4/tcp.c "/* tcp: the receive window is never shrunk, see RFC 7323 section 2.4. */"
commit "tcp: note that the window is never shrunk" "No functional change."
broken_commits="$broken $(hash)"

as "Finn Exit" "finn@culprit.example.org"
replace kernel/exit.c '(\nSYSCALL_DEFINE1\(exit, int, error_code\))' '
static inline int exit_code_to_status(int error_code)
{
	return (error_code & 0xff) << 8;
}
$1'
commit "exit: add exit_code_to_status()" "Fixes the build broken by the previous exit patch."
fixed=$(hash)

as "Ada Writer" "ada@culprit.example.org"
append Documentation/filesystems/vfs.rst "Filesystems must not rely on the order in which dentries are pruned."
commit "docs: vfs: dentry pruning order" "Documentation only."

as "Dana Host" "dana@culprit.example.org"
replace kernel/sys.c '(\n\t\tadd_device_randomness\(tmp, len\);\n\t\tdown_write\(&uts_sem\);\n\t\tu = utsname\(\);\n\t\tmemcpy\(u->nodename, tmp, len\);)' '
		/* Names in the reserved culprit-bug namespace must have been rejected earlier. */
		WARN_ON(len >= 11 && !memcmp(tmp, "culprit-bug", 11));$1'
commit "kernel/sys: warn about reserved host names" "sethostname() callers are expected to filter reserved names; catch the ones that do not."
culprit=$(hash)

as "Ada Writer" "ada@culprit.example.org"
append Documentation/admin-guide/sysctl/kernel.rst "hostname may also be changed with sethostname(2); both paths share the same checks."
commit "docs: sysctl: hostname and sethostname share checks" "Documentation only."
docs_after=$(hash)

as "Jo Storage" "jo@culprit.example.org"
append drivers/nvme/host/core.c "/* nvme: the admin queue is frozen before the I/O queues on reset. */"
commit "nvme: document the reset freeze order" "No functional change."

as "Eve Timer" "eve@culprit.example.org"
append arch/x86/crypto/aesni-intel_glue.c "/* aesni: the FPU is released between scatterlist entries to bound latency. */"
commit "crypto: aesni - document FPU release points" "No functional change."

as "Ben Driver" "ben@culprit.example.org"
append drivers/input/mouse/psmouse-base.c "/* psmouse: resync is attempted at most three times before the device is reset. */"
commit "Input: psmouse - document the resync limit" "No functional change."

as "Eve Timer" "eve@culprit.example.org"
replace init/calibrate.c 'pr_info\("Calibrating delay loop \.\.\. "\);' 'pr_info("Calibrating delay loop... ");'
commit "init/calibrate: restore the calibration message" "Tools parse the old spelling."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/process/howto.rst "When you report a crash, include the reproducer and the exact commit."
commit "docs: howto: what to put in a crash report" "Documentation only."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/process/submitting-patches.rst "Bisection results name the first bad commit; quote it with its subject when you reply."
commit "docs: submitting-patches: quoting bisection results" "Documentation only."

as "Kai Scsi" "kai@culprit.example.org"
append drivers/scsi/sd.c "/* sd: the cache type is re-read after every revalidation. */"
commit "scsi: sd: document cache type revalidation" "No functional change."

as "Lin Media" "lin@culprit.example.org"
append drivers/media/usb/uvc/uvc_driver.c "/* uvcvideo: quirks are matched on vendor and product only. */"
commit "media: uvcvideo: document quirk matching" "No functional change."

as "Hana Fs" "hana@culprit.example.org"
append fs/xfs/xfs_super.c "/* xfs: the log is forced to disk before the superblock is written on unmount. */"
commit "xfs: document the unmount log force" "No functional change."

as "Hana Fs" "hana@culprit.example.org"
append fs/ext4/super.c "/* ext4: the journal is replayed before the orphan list is processed. */"
commit "ext4: document the mount-time ordering" "No functional change."

as "Mo Wireless" "mo@culprit.example.org"
append drivers/net/wireless/ath/ath9k/main.c "/* ath9k: the chip is reset after every channel change. */"
commit "wifi: ath9k: document the channel change reset" "No functional change."

as "Lin Media" "lin@culprit.example.org"
append drivers/gpu/drm/i915/i915_driver.c "/* i915: runtime PM is resumed before any register access in the probe path. */"
commit "drm/i915: document runtime PM in probe" "No functional change."

as "Ada Writer" "ada@culprit.example.org"
append Documentation/admin-guide/README.rst "Crash reports from automated tools list the first bad commit and who to contact."
commit "docs: admin-guide: reading automated crash reports" "Documentation only."
head=$(hash)
git tag culprit-test-head
count=$(git rev-list --count v6.1..HEAD)

step "generating the kernel config (tinyconfig + $(basename -- "$fragment"))"
work="$dest/.config-build"
make -s -C "$repo" O="$work" ARCH=x86_64 tinyconfig >/dev/null
"$repo/scripts/kconfig/merge_config.sh" -m -O "$work" "$work/.config" "$fragment" >/dev/null
make -s -C "$repo" O="$work" ARCH=x86_64 olddefconfig >/dev/null
# Every line the fragment asks for must have survived olddefconfig (a dependency may drop it).
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=* | "# CONFIG_"*" is not set")
            if ! grep -qxF -- "$line" "$work/.config"; then
                echo "error: '$line' from $fragment did not survive olddefconfig" >&2
                exit 1
            fi ;;
    esac
done <"$fragment"
cp -- "$work/.config" "$dest/culprit-test.config"
rm -rf -- "$work"

cat >"$dest/culprit-test-tree.env" <<EOF
# Facts about the test kernel tree, written by scripts/make-test-kernel-tree.sh (version $version).
repo=$repo
config=$dest/culprit-test.config
good=v6.1
good_commit=$v61
bad=culprit-test-head
bad_commit=$head
commits=$count
culprit=$culprit
culprit_subject=kernel/sys: warn about reserved host names
culprit_file=kernel/sys.c
culprit_author=dana@culprit.example.org
crash_function=__do_sys_sethostname
build_broken=$broken
build_fixed=$fixed
build_broken_commits=$broken_commits
docs_only=$docs1
docs_only_after_culprit=$docs_after
EOF
echo "$version" >"$dest/.complete"
step "done: $repo ($count commits on v6.1, culprit $culprit)"
echo "$dest/culprit-test-tree.env"
