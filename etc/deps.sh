#!/bin/sh
#
# Install what oakleyd needs to build and test, if it is missing.
#   Debian/Ubuntu: apt-get; FreeBSD: pkg; OpenBSD: pkg_add.
# Usage: sh etc/deps.sh [build|test|ci]   (default: test)
#   build: compiler, make, libevent, OpenSSL 3, libltdl
#   test:  build + ATF, Kyua, mandoc
#   ci:    test + clang with libFuzzer/sanitizer runtimes, bmake
# Safe to run again: it installs only what is not there.

set -eu

what=${1:-test}

debian_packages() {
	pkgs="build-essential pkg-config libevent-dev libssl-dev libltdl-dev"
	case $what in
	test|ci) pkgs="$pkgs libatf-dev atf-sh kyua mandoc iproute2 jq" ;;
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
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
}

install_freebsd() {
	pkgs="pkgconf libevent openssl libltdl gmake"
	case $what in test|ci) pkgs="$pkgs atf kyua jq" ;; esac
	pkg install -y $pkgs
}

install_openbsd() {
	pkgs="libevent libltdl gmake kyua jq"
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
