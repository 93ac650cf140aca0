#!/usr/bin/env bash
# Builds the offline images as OCI archives (no registry is reachable here): busybox:1.35 from Debian's
# busybox-static (it is that version) and the pause image (catatonit -P, a pause process that reaps zombies).
# Usage: scripts/images/build.sh OUT_DIR — writes OUT_DIR/busybox-1.35.tar and OUT_DIR/pause-3.10.tar, each with
# its image name in OUT_DIR/<file>.name; archives newer than their inputs are kept.
set -euo pipefail
out="${1:?usage: build.sh OUT_DIR}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# build NAME TAG ARCHIVE ROOTFS_FILLER CMD...: an image of one layer made by ROOTFS_FILLER(rootfs dir).
build() {
  local name="$1" tag="$2" archive="$3" filler="$4"
  shift 4
  local layout="$work/$tag-layout" bundle="$work/$tag-bundle"
  umoci init --layout "$layout"
  umoci new --image "$layout:$tag"
  umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
  "$filler" "$bundle/rootfs"
  umoci repack --image "$layout:$tag" "$bundle"
  local args=()
  for c in "$@"; do args+=(--config.cmd "$c"); done
  umoci config --image "$layout:$tag" "${args[@]}" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  umoci gc --layout "$layout"
  tar -C "$layout" -cf "$out/$archive.new" .
  mv "$out/$archive.new" "$out/$archive"
  echo "$name:$tag" >"$out/$archive.name"
  echo "images: built $name:$tag ($out/$archive)" >&2
}

busybox_rootfs() {
  local root="$1"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/www,home}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

pause_rootfs() {
  cp /usr/bin/catatonit "$1/pause"
}

fresh() { [ -f "$out/$1" ] && [ "$out/$1" -nt "$2" ] && [ "$out/$1" -nt "${BASH_SOURCE[0]}" ]; }

fresh busybox-1.35.tar /bin/busybox || build docker.io/library/busybox 1.35 busybox-1.35.tar busybox_rootfs sh
fresh pause-3.10.tar /usr/bin/catatonit || build registry.k8s.io/pause 3.10 pause-3.10.tar pause_rootfs /pause -P
