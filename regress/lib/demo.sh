#!/bin/sh
#
# `make demo`: start an emulated PF_KEY kernel (pfkeyemud), install an
# ESP SA with NAT-T and a tunnel policy through `oakleyctl -c` (setkey
# syntax), print them the way setkey -D / -DP does, and stop pfkeyemud.
# Everything lives in a scratch directory that is removed at the end.
#
# (Until the IKE engine lands this shows the PF_KEY side only; the demo
# will then start two oakleyd negotiating over two pfkeyemud.)

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/oakley-demo.XXXXXX")
emu_pid=""

cleanup() {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null || true
		wait "$emu_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$top/pfkey/emu/pfkeyemud" -d -s "$work/pfkey.sock" \
    -t "$work/traffic.sock" -p "$work/pfkeyemud.pid" 2> "$work/emu.log" &
emu_pid=$!

tries=0
while [ ! -S "$work/pfkey.sock" ] || [ ! -S "$work/traffic.sock" ]; do
	tries=$((tries + 1))
	if [ "$tries" -gt 100 ]; then
		echo "demo: pfkeyemud did not start:" >&2
		cat "$work/emu.log" >&2
		exit 1
	fi
	sleep 0.05
done

ctl="$top/daemon/oakleyctl/oakleyctl -s unix:$work/pfkey.sock"

echo "==> oakleyctl -c: one ESP SA through a NAT (esp-udp, ports 4500) and a tunnel policy"
cat <<'CMDS' | tee "$work/cmds" | sed 's/^/    /'
add 198.51.100.1[4500] 203.0.113.2[4500] esp-udp 0xc1000001 -m tunnel -u 7
	-natoai 192.0.2.10
	-E aes-cbc 0x0123456789abcdef0123456789abcdef
	-A hmac-sha1 0x0123456789abcdef0123456789abcdef01234567;
spdadd 192.0.2.0/24[any] 203.0.113.0/24[any] any
	-P out ipsec esp/tunnel/198.51.100.1-203.0.113.2/require;
CMDS
$ctl -c < "$work/cmds"

echo
echo "==> a packet from 192.0.2.5 to 203.0.113.9 leaves (pfkeyemuctl):"
printf '    '
"$top/pfkey/emu/pfkeyemuctl" -t "$work/traffic.sock" \
    out 192.0.2.5 203.0.113.9 tcp 40000 443 1400

echo
echo "==> oakleyctl -D"
$ctl -D
echo
echo "==> oakleyctl -DP"
$ctl -DP
