# SPDX-License-Identifier: GPL-2.0-only
# bash completion for ipcmbox(1) and ipcmbox-bench(1); installed in
# $(datadir)/bash-completion/completions/ by make install.

# Mailbox names: the nodes of /dev/ipcmbox but control.
_ipcmbox_names()
{
	local d=${IPCMBOX_DEV_DIR:-/dev/ipcmbox} f
	for f in "$d"/*; do
		[ -e "$f" ] || continue
		f=${f##*/}
		[ "$f" = control ] || printf '%s\n' "$f"
	done
}

_ipcmbox()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="create rm chmod chown ls stat send recv watch info version help"
	local cmd=${COMP_WORDS[1]} opts

	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$cmds --version --help" -- "$cur")
		return
	fi
	case "$prev" in
	-f|--file)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	-c|--capacity)
		[ "$cmd" = create ] &&
			mapfile -t COMPREPLY < <(compgen -W "0 unbounded" -- "$cur")
		return ;;
	-o|--output)
		mapfile -t COMPREPLY < <(compgen -W "NAME ID OWNER GROUP UID GID MODE CAPACITY MAX_MSG MAX_BYTES DEPTH DEPTH_HIGH BYTES BYTES_HIGH SEND_W RECV_W SENT RECEIVED SEND_FAILED RECV_FAILED NEXT_LEN REGION REGION_USED REMOVED SEND_PID RECV_PID SEND_TIME RECV_TIME CHANGE_TIME" -- "$cur")
		return ;;
	-s|--max-msg|-b|--max-bytes|-m|--mode|-r|--region|-t|--timeout|-p|--priority|-T|--type|-i|--interval)
		return ;;
	esac
	case "$cmd" in
	create) opts="--capacity --max-msg --max-bytes --mode --region --help" ;;
	rm) opts="--help" ;;
	chmod|chown)
		opts="--help"
		# The mode, or OWNER[:GROUP], comes first.
		if [ "$COMP_CWORD" -eq 2 ] && [[ $cur != -* ]]; then
			[ "$cmd" = chown ] &&
				mapfile -t COMPREPLY < <(compgen -u -- "$cur")
			return
		fi ;;
	ls) opts="--json --raw --noheadings --output --bytes --help" ;;
	stat) opts="--json --help" ;;
	send) opts="--nonblock --timeout --priority --type --file --help" ;;
	recv) opts="--nonblock --timeout --count --type --peek --envelope --null --raw --help" ;;
	watch) opts="--interval --count --help" ;;
	info) opts="--json --help" ;;
	help)
		[ "$COMP_CWORD" -eq 2 ] &&
			mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
		return ;;
	*) return ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
	elif [[ $cmd =~ ^(rm|chmod|chown|stat|send|recv|watch)$ ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_ipcmbox_names)" -- "$cur")
	fi
}
complete -F _ipcmbox ipcmbox

_ipcmbox_bench()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}

	case "$prev" in
	-m|--mech)
		mapfile -t COMPREPLY < <(compgen -W "$(ipcmbox-bench --list 2>/dev/null | awk '{ print $1 }') ipcmbox" -- "${cur##*,}")
		return ;;
	-s|--scenario)
		mapfile -t COMPREPLY < <(compgen -W "pingpong stream openloop fanin" -- "${cur##*,}")
		return ;;
	-p|--placement)
		mapfile -t COMPREPLY < <(compgen -W "same cross" -- "$cur")
		return ;;
	-o|--out)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return ;;
	--inject)
		mapfile -t COMPREPLY < <(compgen -W "skip dup corrupt" -- "$cur")
		return ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "--mech --scenario --sizes --placement --count --warmup --budget --depth --senders --rates --timeout --repeat --out --quiet --verify --inject --list --semantics --help --version" -- "$cur")
}
complete -F _ipcmbox_bench ipcmbox-bench
