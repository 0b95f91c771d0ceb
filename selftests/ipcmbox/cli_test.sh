#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# cli_test.sh - the `ipcmbox` command as the contract's table describes it:
# create, rm, chmod, chown, ls (--json, --raw, --noheadings, --output,
# --bytes, last pids and times), stat,
# send (--file), recv (--nonblock, --timeout, --count, -0, --raw), watch,
# short options, help, exit statuses (3: timed out, 4: would block) and one-line errno
# messages with their hints.  Prints kselftest-style TAP
# and a "# Totals:" line that run_tests.sh counts.
dir=$(cd "$(dirname "$0")" && pwd)
PATH=$dir/../bin:$dir/../../tools:$PATH
pass=0 fail=0 n=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# check NAME WANT_STATUS WANT_OUTPUT(grep -x pattern, '' for none) CMD...
check() {
	name=$1 want=$2 pattern=$3
	shift 3
	n=$((n + 1))
	"$@" > "$out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && { [ -z "$pattern" ] || grep -qx -- "$pattern" "$out"; }; then
		pass=$((pass + 1))
		echo "ok $n $name"
	else
		fail=$((fail + 1))
		echo "not ok $n $name (status $rc, want $want; pattern '$pattern')"
		sed 's/^/#   /' "$out"
	fi
}

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 4; }
if [ -e /sys/module/ipcmbox ]; then
	rmmod ipcmbox || exit 1
fi
insmod "${IPCMBOX_KO:-/ipcmbox/kmod/ipcmbox.ko}" || exit 1
echo "TAP version 13"

check "help COMMAND prints that command's usage" 0 'usage: ipcmbox send NAME .*' ipcmbox help send
check "COMMAND --help prints it too, and runs nothing" 0 'usage: ipcmbox recv NAME.*' ipcmbox recv --help
check "--version names the tool and the library" 0 'ipcmbox [0-9.]* (libipcmbox [0-9.]*)' ipcmbox --version
check "help of an unknown command fails with status 2" 2 "ipcmbox: no command 'nope'" ipcmbox help nope
check "create bounded" 0 '' ipcmbox create jobs --capacity 2
check "create rendezvous with mode" 0 '' ipcmbox create sync --capacity 0 --mode 0660
check "create unbounded" 0 '' ipcmbox create log --capacity unbounded --max-msg 64
check "create existing name fails with EEXIST text" 1 'ipcmbox: jobs: File exists' ipcmbox create jobs
check "create bad name fails with EINVAL text" 1 'ipcmbox: .hidden: Invalid argument' ipcmbox create .hidden
check "create --region rounds up to pages" 0 '' ipcmbox create r --region 5000
check "create --region takes a suffix" 0 '' ipcmbox create r2 --region 64K
check "create --region 0 fails with EINVAL text" 1 'ipcmbox: r3: Invalid argument' ipcmbox create r3 --region 0
check "create --region past region_size_max fails" 1 'ipcmbox: r3: Invalid argument' ipcmbox create r3 --region 1G
check "stat shows the region" 0 'region_size:  8192' ipcmbox stat r
check "stat --json shows the region" 0 '{"name":"r2".*"region_size":65536,"region_used":0.*}' ipcmbox stat r2 --json
check "ls shows the region size, human-readable" 0 'r2  .*  64K' sh -c 'ipcmbox ls | grep "^r2 "'
check "ls --bytes shows it in bytes" 0 'r2  .*  65536' sh -c 'ipcmbox ls --bytes | grep "^r2 "'
check "send and recv copy through a mailbox with a region" 0 'copied' sh -c 'ipcmbox send r copied && ipcmbox recv r'
check "rm removes mailboxes with regions" 0 '' ipcmbox rm r r2
check "create bad capacity is a usage error" 2 '' ipcmbox create x --capacity lots
check "ls lists every mailbox" 0 'jobs  *\(root\|0\)  *0600  *2  *0  *0  *0  *0  *0' sh -c 'ipcmbox ls | grep "^jobs"'
check "ls shows the mode and capacity" 0 'sync  *\(root\|0\)  *0660  *0  .*' sh -c 'ipcmbox ls | grep "^sync"'
check "ls --json is one array" 0 '\[{"name":"jobs".*"name":"log".*\]' ipcmbox ls --json
check "ls --json gives numbers as numbers, unbounded as null" 0 '.*"name":"jobs",.*"mode":"0600","capacity":2,"max_msg":8192,.*"name":"log",.*"capacity":null,.*' ipcmbox ls -J
check "ls --json --output gives only those keys" 0 '\[{"name":"jobs","depth":0},.*' ipcmbox ls --json --output NAME,depth
check "ls --noheadings prints one line per mailbox" 0 '3' sh -c 'ipcmbox ls --noheadings | wc -l'
check "ls --output picks and orders columns, sized to fit" 0 'log  unbounded' sh -c 'ipcmbox ls -n -o name,capacity | grep "^log"'
check "ls -o +COLS adds to the default columns" 0 'NAME .* REGION  *MAX_MSG' sh -c 'ipcmbox ls -o +MAX_MSG | head -n 1'
check "ls --output with an unknown column is a usage error" 2 "ipcmbox: --output: unknown column 'nope'" ipcmbox ls -o NAME,nope
check "ls --raw separates by one space, no padding" 0 'jobs 0600 2' sh -c 'ipcmbox ls --raw -n -o NAME,MODE,CAPACITY | grep "^jobs"'
check "ls columns widen for a long name" 0 'a-mailbox-name-longer-than-the-old-24-columns \(root\|0\)' sh -c 'ipcmbox create a-mailbox-name-longer-than-the-old-24-columns && ipcmbox ls -n -o NAME,OWNER | grep "^a-mailbox"; ipcmbox rm a-mailbox-name-longer-than-the-old-24-columns'
check "create, send and recv take short options" 0 'seq=1 type=7 priority=5 .* hi' sh -c 'ipcmbox create s1 -c 3 -s 128 -m 0640 -r 8K && ipcmbox stat s1 --json | grep -q "\"mode\":\"0640\",\"capacity\":3,\"max_msg\":128," && ipcmbox send s1 -p 5 -T 7 hi && ipcmbox recv s1 -e -T 7 -t 100 -c 1'
check "recv -n on the empty mailbox exits 4" 4 '' ipcmbox recv s1 -n
check "rm after short options" 0 '' ipcmbox rm s1
check "send arguments, one message each" 0 '' ipcmbox send jobs "first one" second
check "send --nonblock into a full mailbox fails with status 4" 4 'ipcmbox: jobs: Resource temporarily unavailable' ipcmbox send jobs --nonblock third
check "send --timeout into a full mailbox times out with status 3" 3 'ipcmbox: jobs: Connection timed out (after 100 ms)' ipcmbox send jobs --timeout 100 third
check "stat shows depth" 0 'depth:        2 (high 2)' ipcmbox stat jobs
check "stat --json" 0 '{"name":"jobs".*"depth":2.*"sent":2.*}' ipcmbox stat jobs --json
check "ls names the last sender, not yet a receiver" 0 'jobs  *[1-9][0-9]*  *-' sh -c 'ipcmbox ls -n -o NAME,SEND_PID,RECV_PID | grep "^jobs "'
check "stat shows the last send, pid and local time" 0 'last_send:    pid [1-9][0-9]* at 2[0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:]*' ipcmbox stat jobs
check "stat --json: no receiver yet is null, times are seconds" 0 '.*"send_pid":[1-9][0-9]*,"recv_pid":null,"send_time":[1-9][0-9]*,"recv_time":null,"change_time":[1-9][0-9]*}' ipcmbox stat jobs --json
check "chmod changes the node and stat" 0 '640 0640' sh -c 'ipcmbox chmod 640 jobs && echo "$(stat -c %a /dev/ipcmbox/jobs) $(ipcmbox stat jobs --json | grep -o "\"mode\":\"[0-7]*\"" | tr -dc 0-7)"'
check "chown USER:GROUP by number" 0 '4321:4322 4321' sh -c 'ipcmbox chown 4321:4322 jobs && echo "$(stat -c %u:%g /dev/ipcmbox/jobs) $(ipcmbox ls -n -o NAME,UID | awk "/^jobs /{print \$2}")"'
check "chown :GROUP changes the group only" 0 '4321:0' sh -c 'ipcmbox chown :0 jobs && stat -c %u:%g /dev/ipcmbox/jobs'
check "chown back to root" 0 '0:0' sh -c 'ipcmbox chown 0:0 jobs && stat -c %u:%g /dev/ipcmbox/jobs'
check "chmod with a bad mode is a usage error" 2 "ipcmbox: invalid mode '1777' (octal, at most 0777)" ipcmbox chmod 1777 jobs
check "chown to an unknown user is a usage error" 2 "ipcmbox: no such user: 'nosuchuser'" ipcmbox chown nosuchuser jobs
check "chmod of a missing mailbox fails" 1 'ipcmbox: nosuch: No such file or directory' ipcmbox chmod 600 nosuch
check "recv prints one message" 0 'first one' ipcmbox recv jobs
check "recv --count" 0 'second' ipcmbox recv jobs --count 1
check "recv --nonblock on empty fails with status 4" 4 'ipcmbox: jobs: Resource temporarily unavailable' ipcmbox recv jobs --nonblock
check "recv --timeout expiry exits with status 3" 3 'ipcmbox: jobs: Connection timed out (after 100 ms)' ipcmbox recv jobs --timeout 100
check "send stdin lines, newline not included" 0 '' sh -c 'printf "l1\nl2\n" | ipcmbox send log'
check "recv --count 2 prints each on its own line" 0 '' sh -c '[ "$(ipcmbox recv log --count 2)" = "$(printf "l1\nl2")" ]'
check "send over max-msg fails with EMSGSIZE" 1 'ipcmbox: log: Message too long' ipcmbox send log "$(printf '%080d' 0)"
printf 'a\nb\0c' > "$out.msg"
check "send --file sends the whole file, newlines and NULs, as one message" 0 '' sh -c 'ipcmbox send log --file "$0" && [ "$(ipcmbox stat log --json | grep -o "\"depth\":[0-9]*")" = "\"depth\":1" ] && ipcmbox recv log --raw | cmp - "$0"' "$out.msg"
check "send -f - sends all of stdin as one message; recv -0 ends it with NUL" 0 'x|y<' sh -c 'printf "x\ny" | ipcmbox send log -f - && ipcmbox recv log -0 | tr "\n\0" "|<"'
head -c 65 /dev/zero > "$out.msg"
check "send --file longer than max-msg fails and sends nothing" 1 "ipcmbox: $out.msg: longer than the largest message of log (64 bytes)" sh -c 'ipcmbox send log --file "$0"; rc=$?; ipcmbox recv log -n >/dev/null 2>&1 && exit 9; exit $rc' "$out.msg"
check "send --file of a missing file names it" 1 'ipcmbox: /nonexistent: No such file or directory' ipcmbox send log --file /nonexistent
check "send --file with MESSAGE words is a usage error" 2 '' ipcmbox send log --file "$out.msg" word
check "recv --raw with --envelope is a usage error" 2 '' ipcmbox recv log --raw --envelope
rm -f "$out.msg"
check "rendezvous hand-off through the CLI" 0 'handed' sh -c 'ipcmbox recv sync & ipcmbox send sync handed; wait'
check "watch prints depth" 0 'depth=0 bytes=0 send_waiting=0 recv_waiting=0 sent=2 received=2' ipcmbox watch jobs --count 1
check "recv on several mailboxes takes from each, named" 0 '' sh -c 'ipcmbox send jobs j1 && ipcmbox send log g1 && out=$(ipcmbox recv jobs log --count 2 | sort) && [ "$out" = "$(printf "jobs: j1\nlog: g1")" ]'
check "recv on several mailboxes waits for any" 0 'log: late' sh -c 'ipcmbox recv jobs log & p=$!; until grep -q poll /proc/$p/wchan 2>/dev/null; do :; done; ipcmbox send log late; wait $p'
check "recv on several empty mailboxes times out with status 3" 3 'ipcmbox: jobs: Connection timed out (after 100 ms)' ipcmbox recv jobs log --timeout 100
check "recv --type takes one mailbox" 2 '.*take one mailbox' ipcmbox recv jobs log --type 3
check "watch on several mailboxes names each" 0 'log: depth=0 .*' ipcmbox watch jobs log --count 2
check "recv on a missing mailbox" 1 'ipcmbox: nosuch: No such file or directory' ipcmbox recv nosuch
check "rm removes" 0 '' ipcmbox rm jobs sync log
check "rm of a missing mailbox fails" 1 'ipcmbox: jobs: No such file or directory' ipcmbox rm jobs
check "ls after rm shows only the header" 0 '1' sh -c 'ipcmbox ls | wc -l'
check "unknown command is a usage error" 2 '' ipcmbox frobnicate
rmmod ipcmbox
check "without the module, the error says so" 1 'ipcmbox: .*: No such file or directory (no /dev/ipcmbox/control: is the ipcmbox module loaded?)' ipcmbox ls
insmod "${IPCMBOX_KO:-/ipcmbox/kmod/ipcmbox.ko}"

echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" -eq 0 ]
