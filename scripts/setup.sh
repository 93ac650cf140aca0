#!/usr/bin/env bash
# Installs what Flotilla needs from Debian's packages. Idempotent and quiet when everything is present.
set -euo pipefail

# etcd-server: the etcd store and its tests; python3-kubernetes: the Python client the end-to-end tests drive;
# containerd, runc, containernetworking-plugins, iptables, conntrack: the real node runtime, pod network and service proxy;
# busybox-static, catatonit, umoci: the offline images (scripts/images/build.sh); docker-registry, skopeo,
# apache2-utils (htpasswd): the registry the pull tests start on 127.0.0.1; iproute2 (ip, bridge): node namespaces,
# routes and VXLAN devices; procps (kill, pkill, pgrep): stopping the managed etcd's members and leftover processes.
wanted=(etcd-server python3-kubernetes containerd runc containernetworking-plugins iptables conntrack busybox-static catatonit umoci docker-registry skopeo apache2-utils iproute2 procps)

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages (${missing[*]}); run as root or install them with apt-get" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packages such as etcd-server ship a service; Flotilla starts its own processes, so keep apt from starting any.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
fi
trap '[ "$added_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${missing[*]}"
