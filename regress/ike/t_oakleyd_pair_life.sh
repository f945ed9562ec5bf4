#! /usr/bin/env atf-sh
#
# The life of a negotiated pair between two oakleyd (regress/lib/pair.subr):
# rekey on soft expiry, make-before-break; both sides rekeying at once;
# an ACQUIRE while a rekey is under way; dead peer detection.  Lifetimes
# run on the emulated kernels' clocks ("advance" traffic command), so no
# test waits for them in real time.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/pair.subr"
LC_ALL=C
export LC_ALL

# A transport policy; quick-mode SAs of 60 s (soft at 42..48 s).
short_body() {
	echo "	phase2 lifetime 60s;"
	echo "	policy local @SELF@ remote @OTHER@ transport require;"
}

establish() {
	pair_setup short_body short_body
	pair_establish
	OLD_OUT=$(pair_spi a "$A" "$B")
	OLD_IN=$(pair_spi a "$B" "$A")
}

# Until both sides hold the same mature SAs, a pair at least.
wait_same_mature() {
	local i=0

	while [ $i -lt 600 ]; do
		pair_sadb_norm a | grep ' state=mature' > mature.a
		pair_sadb_norm b | grep ' state=mature' > mature.b
		if [ "$(wc -l < mature.a)" -ge 2 ] && cmp -s mature.a mature.b
		then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	cat mature.a mature.b >&2
	atf_fail "the two sides do not share the same mature SAs"
}

atf_test_case rekey cleanup
rekey_head() {
	atf_set "descr" "Soft expiry on side a starts a rekey: the new pair" \
	    "is installed on both sides while the old one still works;" \
	    "the old one goes at its hard lifetime, DELETE tells side b"
	atf_set "require.user" "root"
}
rekey_body() {
	establish
	atf_check -o match:"^ok" $PAIR_TRAFFIC_a advance 50
	pair_wait_log a "soft expired: starting rekey with peer other"
	pair_wait_count a 2 "SAs installed"
	pair_wait_count b 2 "SAs installed"
	# Make before break: the old pair is still there, dying on side a.
	pair_sadb_norm a > now.a
	atf_check -o match:"\\($OLD_OUT\\) .* state=dying" cat now.a
	atf_check -o match:"\\($OLD_IN\\) .* state=dying" cat now.a
	atf_check -o inline:"4\n" sh -c "wc -l < now.a"
	new_out=$(pair_spi a "$A" "$B")
	[ -n "$new_out" ] && [ "$new_out" != "$OLD_OUT" ] ||
	    atf_fail "no new outbound SA (old $OLD_OUT, new '$new_out')"
	# The hard lifetime ends the old pair on side a; its DELETE ends it
	# on side b; the new pair is what remains, the same on both sides.
	atf_check -o match:"^ok" $PAIR_TRAFFIC_a advance 15
	pair_wait_log b "peer other deleted SA $OLD_IN: pair in $OLD_OUT / out $OLD_IN removed \\(2 SAs\\)"
	pair_wait_sas a 2
	pair_check_matched 2
	atf_check -s exit:0 -o inline:"esp spi=$(printf '%u' "$new_out")\n" \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
	# One rekey, not two, although both SAs of the pair soft expired.
	atf_check -o inline:"2\n" grep -c "starting for policy 1" a/oakleyd.log
}
rekey_cleanup() {
	pair_stop
}

atf_test_case rekey_simultaneous cleanup
rekey_simultaneous_head() {
	atf_set "descr" "Both sides reach the soft lifetime together and" \
	    "both rekey: when the old pair is gone they share at least one" \
	    "working pair, the same in both SADBs"
	atf_set "require.user" "root"
}
rekey_simultaneous_body() {
	establish
	$PAIR_TRAFFIC_a advance 50 > /dev/null &
	adv=$!
	$PAIR_TRAFFIC_b advance 50 > /dev/null
	wait "$adv"
	pair_wait_log a "soft expired: starting rekey with peer other"
	pair_wait_log b "soft expired: starting rekey with peer other"
	pair_wait_count a 2 "SAs installed"
	pair_wait_count b 2 "SAs installed"
	atf_check -o match:"^ok" $PAIR_TRAFFIC_a advance 15
	atf_check -o match:"^ok" $PAIR_TRAFFIC_b advance 15
	for s in a b; do
		pair_wait_without "$s" "$OLD_OUT"
		pair_wait_without "$s" "$OLD_IN"
	done
	wait_same_mature
	atf_check -s exit:0 -o match:"^esp spi=[0-9]+$" \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
	atf_check -s exit:0 -o match:"^esp spi=[0-9]+$" \
	    $PAIR_TRAFFIC_b out "$B" "$A" tcp 80 40000 100
}
rekey_simultaneous_cleanup() {
	pair_stop
}

atf_test_case acquire_during_rekey cleanup
acquire_during_rekey_head() {
	atf_set "descr" "A packet needing an SA while the rekey of its" \
	    "policy is still running joins that rekey: no second quick mode"
	atf_set "require.user" "root"
}
acquire_during_rekey_body() {
	establish
	# Side b pauses: side a's rekey stays in flight.
	kill -STOP "$(cat b/od.bgpid)"
	atf_check -o match:"^ok" $PAIR_TRAFFIC_a advance 50
	pair_wait_log a "soft expired: starting rekey with peer other"
	pair_wait_count a 2 "starting for policy 1"
	# The old pair runs out on side a: the next packet needs an SA.
	atf_check -o match:"^ok" $PAIR_TRAFFIC_a advance 15
	pair_wait_log a "SA spi $OLD_OUT of peer other expired"
	atf_check -s exit:0 -o save:acq \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
	atf_check -o match:'^acquire seq=[0-9]+$' cat acq
	seq=$(sed 's/^acquire seq=//' acq)
	pair_wait_log a "ACQUIRE seq=$seq for $A->$B"
	kill -CONT "$(cat b/od.bgpid)"
	pair_wait_count a 2 "SAs installed"
	pair_wait_sas a 2
	pair_wait_sas b 2
	new_out=$(pair_spi a "$A" "$B")
	atf_check -s exit:0 -o inline:"esp spi=$(printf '%u' "$new_out")\n" \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
	# One quick mode for the first pair, one for the rekey: none more.
	atf_check -o inline:"2\n" grep -c "starting for policy 1" a/oakleyd.log
	atf_check -o inline:"2\n" grep -c "responding for policy 1" b/oakleyd.log
}
acquire_during_rekey_cleanup() {
	[ -f b/od.bgpid ] && kill -CONT "$(cat b/od.bgpid)" 2>/dev/null
	pair_stop
}

dpd_conf() {
	echo "	dpd interval 1s retries 2;"
	echo "	policy local @SELF@ remote @OTHER@ transport require;"
}

atf_test_case dpd cleanup
dpd_head() {
	atf_set "descr" "Dead peer detection: R-U-THERE is answered while" \
	    "side b lives; once it is gone, side a declares it dead after" \
	    "the retries and removes the SAs"
	atf_set "require.user" "root"
}
dpd_body() {
	pair_setup dpd_conf dpd_conf
	pair_establish
	pair_wait_log a "R-U-THERE-ACK [0-9]+ from other"
	# Side b vanishes without a word.
	kill -KILL "$(cat b/od.bgpid)"
	pair_wait_log a "peer other is dead \\(2 R-U-THERE unanswered\\): its SAs are removed"
	pair_wait_empty a
	atf_check -o match:'^other .* +0 +0 +-$' $PAIR_CTL_a show peers
}
dpd_cleanup() {
	pair_stop
}

p1_short_conf() {
	echo "	phase1 lifetime 60s;"
	echo "	policy local @SELF@ remote @OTHER@ transport require;"
}

atf_test_case phase1_renewal cleanup
phase1_renewal_head() {
	atf_set "descr" "A phase 1 of 60 s (the shortest there is; this" \
	    "test takes a minute): at 54 s its initiator makes a new one," \
	    "the old one is superseded and deleted at 60 s with a DELETE;" \
	    "the quick-mode SAs stay and keep working"
	atf_set "require.user" "root"
	atf_set "timeout" "200"
}
phase1_renewal_body() {
	pair_setup p1_short_conf p1_short_conf
	pair_establish
	out=$(pair_spi a "$A" "$B")
	PAIR_POLL_MAX=1800
	pair_wait_log a "phase 1 #1 with other .*: renewing before its lifetime ends"
	pair_wait_log a "phase 1 #1 with other .*: superseded by phase 1 #[0-9]+"
	pair_wait_log b "phase 1 #1 with other .*: superseded by phase 1 #[0-9]+"
	pair_wait_log a "phase 1 #1 with other .*: deleted"
	pair_wait_log b "phase 1 #1 with other .*: deleted"
	for s in a b; do
		eval "ctl=\$PAIR_CTL_$s"
		atf_check -o match:'^other .* +1 +2 +-$' $ctl show peers
	done
	pair_check_matched 2
	atf_check -s exit:0 -o inline:"esp spi=$(printf '%u' "$out")\n" \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
}
phase1_renewal_cleanup() {
	pair_stop
}

atf_init_test_cases() {
	atf_add_test_case phase1_renewal
	atf_add_test_case rekey
	atf_add_test_case rekey_simultaneous
	atf_add_test_case acquire_during_rekey
	atf_add_test_case dpd
}
