#! /usr/bin/env atf-sh
#
# pfkeyemud: SA lifetimes (soft and hard EXPIRE by addtime, usetime and
# bytes), policy lifetimes (X_SPDEXPIRE) and the larval lifetime option,
# driven by the virtual clock ("advance") and by traffic.

OAKLEY_TOPDIR=@TOPDIR@
. @TOPDIR@/regress/lib/emu.subr

A=192.0.2.1
B=192.0.2.2

atf_test_case expire_time cleanup
expire_time_head()
{
	atf_set descr "Past the soft addtime the SA is dying and EXPIRE(soft)" \
	    "goes to the registered socket; past the hard one it is gone" \
	    "with EXPIRE(hard)"
}
expire_time_body()
{
	emu_start
	emu_bg km $PFK register-listen esp 2 20 expire
	emu_wait_output km '^registered$'
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x1000 -m tunnel -r 4 \
	    -E null - -lh 3600 -ls 2880
	atf_check -o match:"^ok now=" $CTL advance 2870
	atf_check -o match:"state=mature" $PFK dump
	atf_check -o match:"^ok now=" $CTL advance 11
	emu_wait_output km '^expire .* soft$'
	atf_check -o inline:"$A $B esp spi=4096 state=dying mode=tunnel reqid=4 E=null hard=3600/0/0 soft=2880/0/0 cur=0/0 seq=0\n" \
	    $PFK dump
	# A dying SA still carries traffic.
	atf_check -o inline:"ok esp spi=4096\n" $CTL in 4096 10
	atf_check -o match:"^ok now=" $CTL advance 720
	emu_wait_bg km || atf_fail "no hard EXPIRE"
	cat > expout <<EOF
registered
expire seq=1 satype=esp spi=4096 src=$A dst=$B mode=tunnel reqid=4 soft
expire seq=1 satype=esp spi=4096 src=$A dst=$B mode=tunnel reqid=4 hard
EOF
	atf_check -o file:expout cat km.out
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
}
expire_time_cleanup()
{
	emu_stop
}

atf_test_case expire_bytes cleanup
expire_bytes_head()
{
	atf_set descr "Traffic past the soft byte limit makes the SA dying," \
	    "past the hard one removes it, each with its EXPIRE"
}
expire_bytes_body()
{
	emu_start
	atf_check -o inline:"ok id=1\n" $PFK spdadd $A $B any out ipsec \
	    esp/transport//require
	emu_bg km $PFK register-listen esp 2 20 expire
	emu_wait_output km '^registered$'
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x2000 -E null - \
	    -bs 1000 -bh 2000
	atf_check -o inline:"esp spi=8192\n" $CTL out $A $B udp 500 500 600
	atf_check -o match:"state=mature .* cur=600/1 " $PFK dump
	atf_check -o inline:"esp spi=8192\n" $CTL out $A $B udp 500 500 600
	emu_wait_output km '^expire .* soft$'
	atf_check -o match:"state=dying .* cur=1200/2 " $PFK dump
	atf_check -o inline:"esp spi=8192\n" $CTL out $A $B udp 500 500 800
	atf_check -o match:"state=dying .* cur=2000/3 " $PFK dump
	atf_check -o inline:"esp spi=8192\n" $CTL out $A $B udp 500 500 1
	emu_wait_bg km || atf_fail "no hard EXPIRE"
	cat > expout <<EOF
registered
expire seq=1 satype=esp spi=8192 src=$A dst=$B mode=any reqid=0 soft
expire seq=1 satype=esp spi=8192 src=$A dst=$B mode=any reqid=0 hard
EOF
	atf_check -o file:expout cat km.out
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
	atf_check -o inline:"acquire seq=1\n" $CTL out $A $B udp 500 500 1
}
expire_bytes_cleanup()
{
	emu_stop
}

atf_test_case expire_usetime cleanup
expire_usetime_head()
{
	atf_set descr "Usetime limits count from the first use only"
}
expire_usetime_body()
{
	emu_start
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x3000 -E null - \
	    -us 10 -uh 20
	atf_check -o match:"^ok now=" $CTL advance 100
	atf_check -o match:"state=mature" $PFK dump
	atf_check -o inline:"ok esp spi=12288\n" $CTL in 12288 1
	atf_check -o match:"^ok now=" $CTL advance 11
	atf_check -o match:"state=dying" $PFK dump
	atf_check -o match:"^ok now=" $CTL advance 10
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
}
expire_usetime_cleanup()
{
	emu_stop
}

atf_test_case expire_unregistered cleanup
expire_unregistered_head()
{
	atf_set descr "EXPIRE goes only to sockets registered for the SA type"
}
expire_unregistered_body()
{
	emu_start
	emu_bg ah $PFK register-listen ah 1 2 expire
	emu_bg plain $PFK listen 1 2 expire
	emu_wait_output ah '^registered$'
	emu_wait_output plain '^listening$'
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x4000 -E null - -lh 5
	atf_check -o match:"^ok now=" $CTL advance 6
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
	emu_wait_bg ah && atf_fail "an AH socket got an ESP EXPIRE"
	emu_wait_bg plain && atf_fail "an unregistered socket got an EXPIRE"
	atf_check -o inline:"registered\ntimeout\n" cat ah.out
	atf_check -o inline:"listening\ntimeout\n" cat plain.out
}
expire_unregistered_cleanup()
{
	emu_stop
}

atf_test_case spd_expire cleanup
spd_expire_head()
{
	atf_set descr "A policy past its lifetime is removed with X_SPDEXPIRE"
}
spd_expire_body()
{
	emu_start
	emu_bg km $PFK register-listen esp 1 20 spdexpire
	emu_wait_output km '^registered$'
	atf_check -o inline:"ok id=1\n" $PFK spdadd 192.0.2.0/24 \
	    198.51.100.0/24 any out ipsec esp/transport//require -lt 60
	atf_check -o inline:"ok id=2\n" $PFK spdadd 192.0.2.0/24 \
	    198.51.100.0/24 any in none -vt 30
	atf_check -o match:"^ok now=" $CTL advance 31
	atf_check -o inline:"192.0.2.0/24[any] 198.51.100.0/24[any] any out ipsec esp/transport//require id=1 seq=0 lifetime=60\n" \
	    $PFK spddump
	atf_check -o match:"^ok now=" $CTL advance 30
	emu_wait_bg km || atf_fail "no X_SPDEXPIRE"
	atf_check -o inline:"registered\nspdexpire seq=0 satype=unspec src=192.0.2.0 dst=198.51.100.0 policy=2\n" \
	    cat km.out
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK spddump
}
spd_expire_cleanup()
{
	emu_stop
}

atf_test_case larval_option cleanup
larval_option_head()
{
	atf_set descr "pfkeyemud -l sets the larval lifetime"
}
larval_option_body()
{
	emu_start -l 5
	atf_check -o inline:"spi=4660\n" $PFK getspi $A $B esp 0x1234 0x1234
	atf_check -o match:"^ok now=" $CTL advance 4
	atf_check -o match:"state=larval" $PFK dump
	atf_check -o match:"^ok now=" $CTL advance 2
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
}
larval_option_cleanup()
{
	emu_stop
}

atf_init_test_cases()
{
	atf_add_test_case expire_time
	atf_add_test_case expire_bytes
	atf_add_test_case expire_usetime
	atf_add_test_case expire_unregistered
	atf_add_test_case spd_expire
	atf_add_test_case larval_option
}
