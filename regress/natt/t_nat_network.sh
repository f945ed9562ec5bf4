#! /usr/bin/env atf-sh
#
# The NAT test network of regress/lib/nat.subr, on its own: a datagram
# from the client's port 500 reaches the server from the NAT's address
# and a translated port, the answer finds its way back, a flushed mapping
# is replaced by a new one, and the variants without a client NAT and
# with the server behind a port-forwarding NAT.  No IKE yet: socat.

TOPDIR=@TOPDIR@
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/nat.subr"

# The one line TAG.out has: "PEERADDR PEERPORT PAYLOAD" (udp_listen).
line_of() {
	sed -n "$2p" "$1.out"
}

in_port_range() {
	[ "$1" -ge "${NAT_PORT_MIN}" ] && [ "$1" -le "${NAT_PORT_MAX}" ]
}

atf_test_case translated cleanup
translated_head() {
	atf_set "descr" "client:500 -> server:500 arrives from the NAT's" \
	    "address and a translated port; the reply comes back to :500"
	atf_set "require.user" "root"
}
translated_body() {
	nat_require
	nat_setup
	udp_listen server srv "${NAT_SERVER}" 500 20
	udp_send client "${NAT_CLIENT}" 500 "${NAT_SERVER}" 500 "ike-1"
	udp_wait srv 1 || atf_fail "nothing reached the server"
	set -- $(line_of srv 1)
	atf_check_equal "$1" "${NAT_OUTSIDE}"
	atf_check_equal "$3" "ike-1"
	port=$2
	in_port_range "${port}" ||
	    atf_fail "source port ${port} is not a translated one"
	atf_check_equal "$(nat_port 500)" "${port}"
	atf_check_equal "$(nat_mappings)" \
	    "udp ${NAT_CLIENT}:500 ${NAT_SERVER}:500 -> ${NAT_OUTSIDE}:${port}"

	# The server answers the mapping; the client gets it on port 500.
	udp_listen client cli "${NAT_CLIENT}" 500 20
	udp_send server "${NAT_SERVER}" 500 "${NAT_OUTSIDE}" "${port}" "ike-2"
	udp_wait cli 1 || atf_fail "the reply did not reach the client"
	atf_check_equal "$(line_of cli 1)" "${NAT_SERVER} 500 ike-2"
}
translated_cleanup() {
	nat_cleanup
}

atf_test_case remap cleanup
remap_head() {
	atf_set "descr" "After the NAT forgot a mapping (conntrack flush)" \
	    "the next datagram gets a new, different public port"
	atf_set "require.user" "root"
}
remap_body() {
	nat_require
	nat_setup
	udp_listen server srv "${NAT_SERVER}" 4500 20
	udp_send client "${NAT_CLIENT}" 4500 "${NAT_SERVER}" 4500 "one"
	udp_wait srv 1 || atf_fail "nothing reached the server"
	first=$(nat_wait_port 4500)
	atf_check_equal "$(line_of srv 1)" "${NAT_OUTSIDE} ${first} one"

	old=$(nat_remap 4500)
	atf_check_equal "${old}" "${first}"
	atf_check_equal "$(nat_port 4500)" ""

	udp_send client "${NAT_CLIENT}" 4500 "${NAT_SERVER}" 4500 "two"
	udp_wait srv 2 || atf_fail "the second datagram did not arrive"
	second=$(nat_wait_port 4500)
	in_port_range "${second}" || atf_fail "port ${second} not translated"
	[ "${second}" != "${first}" ] ||
	    atf_fail "the NAT kept port ${first} after the flush"
	atf_check_equal "$(line_of srv 2)" "${NAT_OUTSIDE} ${second} two"
	# One mapping for the client's port: the new one.
	atf_check_equal "$(nat_mappings | grep -c "^udp ${NAT_CLIENT}:4500 ")" 1
}
remap_cleanup() {
	nat_cleanup
}

atf_test_case no_client_nat cleanup
no_client_nat_head() {
	atf_set "descr" "With no-client-nat the server sees the client's" \
	    "own address and port"
	atf_set "require.user" "root"
}
no_client_nat_body() {
	nat_require
	nat_setup no-client-nat
	udp_listen server srv "${NAT_SERVER}" 500 20
	udp_send client "${NAT_CLIENT}" 500 "${NAT_SERVER}" 500 "plain"
	udp_wait srv 1 || atf_fail "nothing reached the server"
	atf_check_equal "$(line_of srv 1)" "${NAT_CLIENT} 500 plain"
	atf_check_equal "$(nat_port 500)" ""
}
no_client_nat_cleanup() {
	nat_cleanup
}

atf_test_case server_nat cleanup
server_nat_head() {
	atf_set "descr" "With server-nat the server, behind a port-forwarding" \
	    "NAT, gets 203.0.113.2:500 and :4500 at its own address"
	atf_set "require.user" "root"
}
server_nat_body() {
	nat_require
	nat_setup server-nat
	atf_check_equal "${NAT_SERVER_REAL}" 192.0.2.2
	udp_listen server s500 "${NAT_SERVER_REAL}" 500 20
	udp_listen server s4500 "${NAT_SERVER_REAL}" 4500 20
	udp_send client "${NAT_CLIENT}" 500 "${NAT_SERVER}" 500 "a"
	udp_send client "${NAT_CLIENT}" 4500 "${NAT_SERVER}" 4500 "b"
	udp_wait s500 1 || atf_fail "nothing reached the server on 500"
	udp_wait s4500 1 || atf_fail "nothing reached the server on 4500"
	atf_check_equal "$(line_of s500 1)" "${NAT_OUTSIDE} $(nat_port 500) a"
	atf_check_equal "$(line_of s4500 1)" \
	    "${NAT_OUTSIDE} $(nat_port 4500) b"

	# Its answer leaves from the public address and the same port.
	udp_listen client cli "${NAT_CLIENT}" 4500 20
	udp_send server "${NAT_SERVER_REAL}" 4500 "${NAT_OUTSIDE}" \
	    "$(nat_port 4500)" "c"
	udp_wait cli 1 || atf_fail "the reply did not reach the client"
	atf_check_equal "$(line_of cli 1)" "${NAT_SERVER} 4500 c"
}
server_nat_cleanup() {
	nat_cleanup
}

atf_test_case cleanup_leaves_nothing cleanup
cleanup_leaves_nothing_head() {
	atf_set "descr" "nat_cleanup removes the namespaces and stops the" \
	    "processes it started"
	atf_set "require.user" "root"
}
cleanup_leaves_nothing_body() {
	nat_require
	nat_setup server-nat
	udp_listen server srv "${NAT_SERVER_REAL}" 500 60
	pid=$(ns_bg_pid srv.socat)
	[ -n "${pid}" ] && kill -0 "${pid}" || atf_fail "no listener"
	nat_cleanup
	kill -0 "${pid}" 2>/dev/null && atf_fail "listener ${pid} still runs"
	for h in client nat snat server; do
		[ ! -e "/run/netns/$(ns_name "$h")" ] ||
		    atf_fail "namespace $(ns_name "$h") is left"
	done
}
cleanup_leaves_nothing_cleanup() {
	nat_cleanup
}

atf_init_test_cases() {
	atf_add_test_case translated
	atf_add_test_case remap
	atf_add_test_case no_client_nat
	atf_add_test_case server_nat
	atf_add_test_case cleanup_leaves_nothing
}
