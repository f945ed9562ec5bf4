#!/bin/sh
#
# Install what oakleyd needs to build and test, if it is missing.
#   Debian/Ubuntu: apt-get; FreeBSD: pkg; OpenBSD: pkg_add.
# Usage: sh etc/deps.sh [build|test|ci]   (default: test)
#   build: compiler, make, libevent, OpenSSL 3, libltdl
#   test:  build + ATF, Kyua, mandoc, and for the multi-host and interop
#          tests (regress/lib/netns.subr, charon.subr): iproute2, nftables,
#          conntrack, tcpdump, socat, ping, strongSwan's charon + swanctl +
#          extra plugins (kernel-libipsec)
#   ci:    test + clang with libFuzzer/sanitizer runtimes, bmake
# Safe to run again: it installs only what is not there.
#
# Installing strongSwan on Debian pulls in strongswan-starter, whose
# postinst would start a system charon (in the root network namespace,
# /run/charon.vici, /run/charon.pid).  The tests never use or stop it (their
# charons run in namespaces of their own with their own sockets and pid
# files), but to keep a test machine quiet this script makes invoke-rc.d
# refuse service starts while it installs, through a temporary
# /usr/sbin/policy-rc.d, unless one is there already.

set -eu

what=${1:-test}

debian_packages() {
	pkgs="build-essential pkg-config libevent-dev libssl-dev libltdl-dev"
	case $what in
	test|ci) pkgs="$pkgs libatf-dev atf-sh kyua mandoc iproute2 jq" ;;
	esac
	case $what in
	test|ci) pkgs="$pkgs nftables conntrack tcpdump socat iputils-ping
	    strongswan-charon strongswan-swanctl libcharon-extra-plugins" ;;
	esac
	case $what in
	ci) pkgs="$pkgs bmake clang libclang-rt-14-dev" ;;
	esac
	echo "$pkgs"
}

install_debian() {
	missing=""
	for p in $(debian_packages); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "deps.sh: installing:$missing"
	$sudo apt-get update -qq
	# No service starts while installing (see the top of this file).
	prc=/usr/sbin/policy-rc.d
	own_prc=no
	if [ ! -e "$prc" ]; then
		printf '#!/bin/sh\n# deps.sh: temporary, no starts\nexit 101\n' |
		    $sudo tee "$prc" >/dev/null
		$sudo chmod 755 "$prc"
		own_prc=yes
		trap '[ "$own_prc" = yes ] && $sudo rm -f "$prc"' EXIT INT TERM
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    -o Dpkg::Options::=--force-confdef \
	    -o Dpkg::Options::=--force-confold $missing
	if [ "$own_prc" = yes ]; then
		$sudo rm -f "$prc"
		own_prc=no
	fi
}

install_freebsd() {
	pkgs="pkgconf libevent openssl libltdl gmake"
	# strongswan and socat for the interop tests' helpers; those tests
	# skip on FreeBSD all the same (network namespaces are Linux-only).
	case $what in test|ci) pkgs="$pkgs atf kyua jq strongswan socat" ;; esac
	pkg install -y $pkgs
}

install_openbsd() {
	pkgs="libevent libltdl gmake kyua jq"
	# As on FreeBSD: installed, but the interop tests skip (no netns).
	case $what in test|ci) pkgs="$pkgs strongswan socat" ;; esac
	pkg_add -I $pkgs
}

case $(uname -s) in
Linux)
	if command -v apt-get >/dev/null 2>&1; then
		install_debian
	else
		echo "deps.sh: not a Debian system; install by hand:" \
		    "$(debian_packages)" >&2
		exit 1
	fi
	;;
FreeBSD)	install_freebsd ;;
OpenBSD)	install_openbsd ;;
*)
	echo "deps.sh: unsupported system $(uname -s)" >&2
	exit 1
	;;
esac
