#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The VMM process of one test, for scripts/run-test.sh: started in a session of its own when
# setsid (util-linux) is there, so that a SIGKILL reaches the children it started too; stdin
# from /dev/null; stdout and stderr through FIFOs into stream_capture (scripts/stream.sh),
# never into a file another run could share. bash adds no "Killed" notice of its own when a
# VMM dies from a signal: every wait here sends its stderr to /dev/null, and a dead child is
# reported to /dev/null at once (proc_wait). Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# Seconds between the SIGTERM that stops a VMM and the SIGKILL that follows if it is still
# there; also how long the captures may take to see the end of a stopped VMM's output.
PROC_GRACE=3
# Set (by a trap of the caller's) when a SIGTERM or SIGINT asks the run to stop, with the
# signal's name; proc_wait returns early on it while PROC_WATCH is 1.
RUN_STOP=0 RUN_SIGNAL="" PROC_WATCH=0
# How often proc_wait looks at most (ms), and the descriptor it sleeps on (proc_tick_open;
# without it, sleep).
PROC_TICK_MS=50 PROC_TICK=""

# proc_tick_open DIR: open PROC_TICK, the FIFO DIR/tick, which nobody writes to: "read -t"
# on it is a sleep without a process, which a trapped signal cuts short.
proc_tick_open()
{
	mkfifo "$1/tick" && exec {PROC_TICK}<>"$1/tick"
}

# proc_alive PID: true while PID, a child of this shell, runs (a zombie does not count; a
# reused PID, no longer this shell's child, neither).
proc_alive()
{
	local stat

	if IFS= read -r stat 2>/dev/null <"/proc/$1/stat"; then
		stat=${stat##*) }
		[[ $stat =~ ^([A-Za-z])\ ([0-9]+) ]] &&
			[[ ${BASH_REMATCH[1]} != Z && ${BASH_REMATCH[2]} == "$BASHPID" ]]
		return
	fi
	[[ ! -d /proc/self ]] && kill -0 "$1" 2>/dev/null
}

# proc_wait SECONDS PID...: wait until every PID (with PROC_ANY=1: one of them) has ended
# (status 0), SECONDS have passed (1; 0: no limit) or, while PROC_WATCH is 1, RUN_STOP is set
# (2). PROC_DONE is the last PID that ended, PROC_RC its exit status, PROC_LEFT the PIDs
# still running. It looks every PROC_TICK_MS at most rather than trusting "wait -n", which
# misses a child that ended while bash was reporting another's death by a signal.
proc_wait()
{
	local secs=$1 p end now ms=2 tick
	local -a left

	shift
	left=("$@")
	end=$((10#${EPOCHREALTIME/./} + secs * 1000000))
	while :; do
		for p in "${!left[@]}"; do
			proc_alive "${left[p]}" && continue
			PROC_DONE=${left[p]}
			wait "$PROC_DONE" 2>/dev/null
			PROC_RC=$?
			# A child dead from a signal while this shell ran builtins is still to be
			# reported: the next $(...) would print "Killed"; jobs -n reports it here.
			jobs -n >/dev/null 2>&1
			unset "left[p]"
			((${PROC_ANY:-0})) && break
		done
		PROC_LEFT=("${left[@]}")
		((${#left[@]} == 0 || (${PROC_ANY:-0} && ${#left[@]} < $#))) && return 0
		((PROC_WATCH && RUN_STOP)) && return 2
		now=$((10#${EPOCHREALTIME/./}))
		((secs > 0 && now >= end)) && return 1
		# 2, 4, 8, 16, 32 ms, then PROC_TICK_MS: a short run is seen ending soon.
		printf -v tick '0.%03d' "$ms"
		((ms = ms * 2 > PROC_TICK_MS ? PROC_TICK_MS : ms * 2))
		if [[ -n $PROC_TICK ]]; then
			read -r -t "$tick" -u "$PROC_TICK" p 2>/dev/null
		else
			sleep "$tick"
		fi
	done
}

# proc_fifos DIR...: make the FIFOs proc_start uses in each DIR (all at once: one process).
proc_fifos()
{
	local d
	local -a f=()

	for d; do
		f+=("$d/out.fifo" "$d/err.fifo")
	done
	mkfifo "${f[@]}"
}

# proc_start DIR COMMAND...: start COMMAND with its stdout and stderr captured into DIR/out.*
# and DIR/err.* (stream_capture; the console is scanned for the verdict). Sets PROC_PID, the
# capture PIDs PROC_CAPTURE and PROC_SESSION (1 when COMMAND leads a session of its own).
proc_start()
{
	local dir=$1 wo we
	local -a pre=()

	shift
	[[ -p $dir/err.fifo ]] || proc_fifos "$dir" || return 1
	stream_capture "$dir/out.fifo" "$dir/out" "guest output" scan &
	PROC_CAPTURE=("$!")
	stream_capture "$dir/err.fifo" "$dir/err" "$VMM_NAME stderr" &
	PROC_CAPTURE+=("$!")
	# Opened here, the write ends wait for the captures to be reading: whenever the VMM
	# ends, even before it starts, the captures see the end of their input.
	exec {wo}>"$dir/out.fifo" {we}>"$dir/err.fifo" || return 1
	PROC_SESSION=0
	if command -v setsid >/dev/null 2>&1; then
		pre=(setsid)
		PROC_SESSION=1
	fi
	"${pre[@]}" "$@" </dev/null >&"$wo" 2>&"$we" {wo}>&- {we}>&- &
	PROC_PID=$!
	exec {wo}>&- {we}>&-
}

# proc_kill: SIGKILL to the VMM, and to every process of its session when it has one.
proc_kill()
{
	if ((PROC_SESSION)); then
		kill -KILL -- "-$PROC_PID" 2>/dev/null
	else
		kill -KILL "$PROC_PID" 2>/dev/null
	fi
}

# proc_stop: SIGTERM to the VMM; SIGKILL PROC_GRACE seconds later if it is still there.
proc_stop()
{
	kill -TERM "$PROC_PID" 2>/dev/null
	PROC_WATCH=0 proc_wait "$PROC_GRACE" "$PROC_PID" && return 0
	proc_kill
	PROC_WATCH=0 proc_wait 0 "$PROC_PID"
}

# proc_finish: after the VMM ended, wait for the captures to read the end of its output.
# A child it left behind that keeps the output open gets SIGKILL after PROC_GRACE seconds
# (when the VMM led a session of its own).
proc_finish()
{
	PROC_WATCH=0 proc_wait "$PROC_GRACE" "${PROC_CAPTURE[@]}" ||
		{ proc_kill; PROC_WATCH=0 proc_wait 0 "${PROC_LEFT[@]}"; }
}
