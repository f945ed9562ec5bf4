#! /usr/bin/env atf-sh
#
# pfkeyemud as a process: options, pidfile, socket modes, stale socket
# files, a live daemon on the same sockets, daemon mode, clean exit on
# SIGTERM and SIGINT.

OAKLEY_TOPDIR=@TOPDIR@
. @TOPDIR@/regress/lib/emu.subr

# The permission string of a file, "srw-------" for a 0600 socket.
perms()
{
	ls -l "$1" | cut -c1-10
}

atf_test_case pidfile_and_exit cleanup
pidfile_and_exit_head()
{
	atf_set descr "The pidfile holds the daemon's PID, the sockets are" \
	    "mode 0600; SIGTERM removes them all and exits 0"
}
pidfile_and_exit_body()
{
	emu_start
	pid=$(emu_pid)
	[ "$pid" = "$(cat emu.bgpid)" ] || atf_fail "pidfile $pid, started $(cat emu.bgpid)"
	atf_check_equal "srw-------" "$(perms "$EMU_SOCK")"
	atf_check_equal "srw-------" "$(perms "$EMU_TRAFFIC")"
	kill -TERM "$pid"
	wait "$pid"
	atf_check_equal 0 $?
	for f in "$EMU_SOCK" "$EMU_TRAFFIC" "$EMU_PIDFILE"; do
		[ -e "$f" ] && atf_fail "$f left behind"
	done
	atf_check -o match:"signal 15: exiting" cat "$EMU_LOG"
}
pidfile_and_exit_cleanup()
{
	emu_stop
}

atf_test_case sigint cleanup
sigint_head()
{
	atf_set descr "SIGINT exits cleanly too"
}
sigint_body()
{
	emu_start
	pid=$(emu_pid)
	kill -INT "$pid"
	wait "$pid"
	atf_check_equal 0 $?
	[ -e "$EMU_SOCK" ] && atf_fail "socket left behind"
	return 0
}
sigint_cleanup()
{
	emu_stop
}

atf_test_case stale_sockets cleanup
stale_sockets_head()
{
	atf_set descr "Socket files left by a killed daemon are removed at" \
	    "start-up"
}
stale_sockets_body()
{
	emu_start
	atf_check -o inline:"ok\n" $PFK add 192.0.2.1 192.0.2.2 esp 0x100 \
	    -E null -
	pid=$(emu_pid)
	kill -KILL "$pid"
	wait "$pid"
	[ -S "$EMU_SOCK" ] || atf_fail "no stale socket to test with"
	rm -f "$EMU_PIDFILE"
	emu_start
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
	atf_check -o match:"removing stale socket" cat "$EMU_LOG"
}
stale_sockets_cleanup()
{
	emu_stop
}

atf_test_case live_socket cleanup
live_socket_head()
{
	atf_set descr "A second daemon on the sockets of a live one refuses" \
	    "to start and leaves the first one alone"
}
live_socket_body()
{
	emu_start
	atf_check -s exit:1 -e match:"another daemon is listening" \
	    "$EMUD" -d -s "$EMU_SOCK" -t "$(pwd)/other.traffic" \
	    -p "$(pwd)/other.pid"
	[ -e other.pid ] && atf_fail "the second daemon wrote a pidfile"
	atf_check -o match:"^now=" $CTL time
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
}
live_socket_cleanup()
{
	emu_stop
}

atf_test_case daemon_mode cleanup
daemon_mode_head()
{
	atf_set descr "Without -d the daemon detaches, writes its own PID" \
	    "and serves"
}
daemon_mode_body()
{
	EMU_SOCK=$(pwd)/emu.sock
	EMU_TRAFFIC=$(pwd)/emu.traffic
	EMU_PIDFILE=$(pwd)/emu.pid
	{
		echo "EMU_SOCK='${EMU_SOCK}'"
		echo "EMU_TRAFFIC='${EMU_TRAFFIC}'"
		echo "EMU_PIDFILE='${EMU_PIDFILE}'"
	} > emu.env
	atf_check "$EMUD" -s "$EMU_SOCK" -t "$EMU_TRAFFIC" -p "$EMU_PIDFILE"
	i=0
	while [ $i -lt 200 ] && ! [ -s "$EMU_PIDFILE" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$EMU_PIDFILE" ] || atf_fail "no pidfile"
	pid=$(cat "$EMU_PIDFILE")
	kill -0 "$pid" || atf_fail "the daemon is not running"
	atf_check -o match:"^now=" "$EMUCTL" -t "$EMU_TRAFFIC" time
	atf_check -o inline:"spi=4096\n" "$PFKTOOL" -s "$EMU_SOCK" getspi \
	    192.0.2.1 192.0.2.2 esp 0x1000 0x1000
	kill -TERM "$pid"
	emu_wait_gone "$pid" || atf_fail "the daemon did not exit"
	[ -e "$EMU_SOCK" ] && atf_fail "socket left behind"
	[ -e "$EMU_PIDFILE" ] && atf_fail "pidfile left behind"
	return 0
}
daemon_mode_cleanup()
{
	emu_stop
}

atf_test_case bad_options
bad_options_head()
{
	atf_set descr "Bad options: a usage message and exit 1"
}
bad_options_body()
{
	atf_check -s exit:1 -e match:"^usage: pfkeyemud" "$EMUD" -x
	atf_check -s exit:1 -e match:"^usage: pfkeyemud" "$EMUD" extra
	atf_check -s exit:1 -e match:"-l 0: want 1..86400" "$EMUD" -d -l 0
	atf_check -s exit:1 -e match:"-l x: want" "$EMUD" -d -l x
	atf_check -s exit:1 -e match:"not a socket" "$EMUD" -d \
	    -s "$(pwd)" -t "$(pwd)/t.sock" -p "$(pwd)/p.pid"
}

atf_init_test_cases()
{
	atf_add_test_case pidfile_and_exit
	atf_add_test_case sigint
	atf_add_test_case stale_sockets
	atf_add_test_case live_socket
	atf_add_test_case daemon_mode
	atf_add_test_case bad_options
}
