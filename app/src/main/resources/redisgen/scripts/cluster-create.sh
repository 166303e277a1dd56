# shellcheck shell=sh
# cluster-create.sh: the cluster-creation Job. Converges the nodes to a formed
# cluster, whatever it finds, and changes nothing on a formed one:
#   1. waits (bounded) until every node answers PING and its name resolves;
#   2. on nodes that are all new (no slots anywhere, each knowing only itself):
#      gives the masters (pods 0..SHARDS-1) their slot ranges;
#   3. meets every node that another does not know yet (a partly formed cluster,
#      a node that came back empty);
#   4. gives slots nobody holds to the shard they belong to (an interrupted run);
#   5. scaling out: while fewer masters hold slots than SHARDS, free nodes (masters
#      without slots: the new pods) become the new shards' masters, lowest ordinal
#      first, and the next free nodes (else replicas beyond REPLICAS_PER_SHARD of
#      their master) their replicas, before any slot moves;
#   6. makes each free node left the replica of a shard that lacks one, its own
#      shard by ordinal first (pod SHARDS+k replicates shard k);
#   7. moves slots, under a lock (one Job at a time, whatever its spec): finishes
#      a move left half done (slots MIGRATING/IMPORTING: towards the new owner),
#      and gives every master an even share of the 16384 slots when one is more
#      than CLUSTER_BALANCE_PERCENT off (redis-cli --cluster rebalance
#      --cluster-use-empty-masters: keys move with MIGRATE, clients follow ASK);
#   8. waits until every shard has its replicas in every node's view, moving a
#      replica from a shard with more to one with fewer (see replicas_placed);
#   9. waits until every node reports cluster_state:ok from CLUSTER INFO, with
#      all 16384 slots, and knows every other node.
# With CLUSTER_DRAIN=true (the Job `redisgen drain` renders, for fewer shards) it does
# none of 2-8: it empties the shards that go before the StatefulSet removes their pods
# (see "drain" below), then waits as in 9.
# Exit 0 when the cluster is ok, 1 otherwise (the Job retries: idempotent).
# shellcheck disable=SC2317 # the checks are called through all_nodes and wait_until
set -eu
LOG_TAG=cluster-create
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
SHARDS="${SHARDS:-3}"
REPLICAS_PER_SHARD="${REPLICAS_PER_SHARD:-1}"
CLUSTER_WAIT_SECONDS="${CLUSTER_WAIT_SECONDS:-300}"
CLUSTER_BALANCE_PERCENT="${CLUSTER_BALANCE_PERCENT:-1}"
CLUSTER_LOCK_SECONDS="${CLUSTER_LOCK_SECONDS:-60}"
CLUSTER_REBALANCE_SECONDS="${CLUSTER_REBALANCE_SECONDS:-3600}"
LOCK_KEY="redisgen:cluster-slots-lock"

work=$(mktemp -d "${TMPDIR:-/tmp}/cluster-create.XXXXXX")
start=$(date +%s)
changes=0
lock_value=""
renewer=""
trap 'stop_renewer; rm -rf "$work"' EXIT

elapsed() {
  printf '%s\n' $(($(date +%s) - start))
}

# nodes_file: "ORDINAL IP PORT" per pod, names resolved; fails (the file as it was) while one does not resolve.
nodes_file() {
  : >"$work/nodes.new"
  cluster_pods | while read -r _o _h _p; do
    _ip=$(resolve "$_h") || {
      printf '%s\n' "$_h" >"$work/unresolved"
      return 1
    }
    printf '%s %s %s\n' "$_o" "$_ip" "$_p" >>"$work/nodes.new"
  done || return 1
  mv "$work/nodes.new" "$work/nodes"
}

# all_nodes CHECK: true when CHECK IP PORT succeeds for every node.
all_nodes() {
  while read -r _o _ip _p; do
    "$1" "$_ip" "$_p" || return 1
  done <"$work/nodes"
}

# knows_all BAD: reads a view on stdin; true when it lists every node of ids with flags not matching BAD.
knows_all() {
  awk -v bad="$1" 'FNR == NR { want[$1] = 1; next } ($1 in want) && $6 !~ bad { seen[$1] = 1 }
    END { for (id in want) if (!(id in seen)) exit 1 }' "$work/ids" -
}

answers_ping() {
  [ "$(redis_cli "$1" "$2" PING 2>/dev/null | tr -d '\r')" = PONG ]
}

# state_ok IP PORT: cluster_state:ok, every slot assigned, every other pod known and not failing, and every
# replica role given out, as this node sees it.
state_ok() {
  [ "$(cluster_info_field "$1" "$2" cluster_state)" = ok ] || return 1
  [ "$(cluster_info_field "$1" "$2" cluster_slots_assigned)" = 16384 ] || return 1
  _v=$(cluster_view "$1" "$2") || return 1
  printf '%s\n' "$_v" | knows_all 'fail|handshake|noaddr' || return 1
  # Roles reach the other nodes by gossip: not done while this node still sees a master without slots
  # beside a shard that lacks a replica.
  if printf '%s\n' "$_v" | awk '$6 ~ /master/ && $6 !~ /fail/ && $9 == "-" { f = 1 } END { exit !f }' &&
    cluster_choose_shard "$_v" 0 >/dev/null; then
    return 1
  fi
}

resolved() {
  nodes_file
}

everyone_answers() {
  all_nodes answers_ping
}

everyone_ok() {
  all_nodes state_ok
}

everyone_knows_everyone() {
  while read -r _o _ip _p; do
    _v=$(cluster_view "$_ip" "$_p") || return 1
    printf '%s\n' "$_v" | knows_all 'handshake|noaddr' || return 1
  done <"$work/nodes"
}

# wait_until WHAT CHECK: bounded (CLUSTER_WAIT_SECONDS since the start) wait until CHECK succeeds. Between tries the
# pods' names are resolved again: a pod recreated meanwhile (the StatefulSet rolls every pod when SHARDS changes, while
# this Job runs) has a new IP, and its old one answers nobody.
wait_until() {
  _logged=0
  until "$2"; do
    if [ "$(elapsed)" -ge "$CLUSTER_WAIT_SECONDS" ]; then
      log "gave up after ${CLUSTER_WAIT_SECONDS}s waiting for $1"
      return 1
    fi
    if [ "$_logged" -eq 0 ]; then
      log "waiting for $1"
      _logged=1
    fi
    sleep 1
    [ "$2" = resolved ] || refresh_nodes
  done
}

# refresh_nodes: the pods' addresses resolved again, logged when one changed; kept while a name does not resolve.
refresh_nodes() {
  _before=$(cat "$work/nodes")
  nodes_file 2>/dev/null || return 0
  [ "$(cat "$work/nodes")" = "$_before" ] ||
    log "pod addresses changed (recreated pods): $(awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }' "$work/nodes")"
}

# send IP PORT WHY ARGS...: a command that changes the cluster, logged; fails on an error reply.
send() {
  _sip=$1
  _sport=$2
  _why=$3
  shift 3
  log "$_why: $* (to $_sip:$_sport)"
  changes=$((changes + 1))
  if ! _out=$(redis_cli "$_sip" "$_sport" "$@" 2>&1); then
    log "  failed: $(printf '%s' "$_out" | tr -d '\r' | tr '\n' ' ')"
    return 1
  fi
}

# gather: the id and view of every node (view-ORDINAL, ids, id-ORDINAL files, and ordinals: "ORDINAL ID" lines).
gather() {
  : >"$work/ids"
  : >"$work/ordinals"
  while read -r _o _ip _p; do
    _id=$(redis_cli "$_ip" "$_p" CLUSTER MYID 2>/dev/null | tr -d '\r') || return 1
    [ -n "$_id" ] || return 1
    printf '%s\n' "$_id" >>"$work/ids"
    printf '%s\n' "$_id" >"$work/id-$_o"
    printf '%s %s\n' "$_o" "$_id" >>"$work/ordinals"
    cluster_view "$_ip" "$_p" >"$work/view-$_o" || return 1
  done <"$work/nodes"
}

node_ip() {
  awk -v o="$1" '$1 == o { print $2 }' "$work/nodes"
}

node_port() {
  awk -v o="$1" '$1 == o { print $3 }' "$work/nodes"
}

# holds_slots ORDINAL: true when the node's own view gives it slots.
holds_slots() {
  awk '$6 ~ /myself/ && $9 != "-" { found = 1 } END { exit !found }' "$work/view-$1"
}

# free_itself ORDINAL: the node's own view makes it a master without slots. Another node's view may still show a
# node that has just become a replica as a master without slots (roles reach the others by gossip): in a CI scale
# out a master handing its slots over in its preStop (the StatefulSet rolling it) was taken for a free node, made a
# new shard's master, and became its replica's replica a moment later; the shard was never made.
free_itself() {
  awk '$6 ~ /myself/ && $6 ~ /master/ && $9 == "-" { found = 1 } END { exit !found }' "$work/view-$1"
}

# alone ORDINAL: true when the node knows no other node.
alone() {
  [ "$(awk 'END { print NR }' "$work/view-$1")" -le 1 ]
}

# anchor: the ordinal whose view knows the most nodes (ties: the lowest ordinal); the cluster to join.
anchor() {
  while read -r _o _ip _p; do
    printf '%s %s\n' "$(awk 'END { print NR }' "$work/view-$_o")" "$_o"
  done <"$work/nodes" | sort -k1,1nr -k2,2n | awk 'NR == 1 { print $2 }'
}

# ---- slot moves: a lock, open slots, shares

# stop_renewer: ends the lock's renewal and gives the lock back (on every exit).
stop_renewer() {
  if [ -n "$renewer" ]; then
    kill "$renewer" 2>/dev/null || true
    renewer=""
  fi
  if [ -n "$lock_value" ]; then
    if [ "$(lock_cli GET "$LOCK_KEY")" = "$lock_value" ]; then
      lock_cli DEL "$LOCK_KEY" >/dev/null || true
    fi
    lock_value=""
  fi
}

# lock_cli ARGS...: a command on the lock key (its arguments without spaces), sent to the master that owns the
# key's slot in the anchor's view; a MOVED or ASK reply (the slot is moving: the key goes with it) is followed to
# the node it names (ASK: with ASKING first). Not redis-cli -c: it would need the pods' names to resolve where
# the script's own resolve does (HOSTS_FILE in tests and the drill).
lock_cli() {
  if [ -z "${lock_slot:-}" ]; then
    lock_slot=$(redis_cli "$a_ip" "$a_port" CLUSTER KEYSLOT "$LOCK_KEY" 2>/dev/null | tr -d '\r')
  fi
  _lip=$(cluster_view "$a_ip" "$a_port" | awk -v s="$lock_slot" '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" {
    n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); if (b[1] <= s && s <= b[2]) { print $2, $3; exit } } }')
  _lport=${_lip#* }
  _lip=${_lip% *}
  [ -n "$_lip" ] || return 1
  _lasking=""
  _lhops=0
  while [ "$_lhops" -lt 3 ]; do
    # Read from stdin, redis-cli prints each reply (an error too, after which it prints an empty line): the
    # reply is the last non-empty line after ASKING's OK; nil prints nothing.
    _lout=$(printf '%s%s\n' "$_lasking" "$*" | redis_cli "$_lip" "$_lport" 2>&1 | tr -d '\r' |
      awk -v skip="${_lasking:+1}" 'NR == 1 && skip { next } NF { l = $0 } END { print l }')
    case "$_lout" in
      ASK\ * | MOVED\ * | *" ASK "* | *" MOVED "*)
        _lto=$(printf '%s\n' "$_lout" | awk '{ for (i = 1; i <= NF; i++) if ($i == "ASK" || $i == "MOVED") { print $(i + 2); exit } }')
        case "$_lout" in *ASK*) _lasking='ASKING
' ;; *) _lasking="" ;; esac
        _lport=${_lto##*:}
        _lip=$(resolve "${_lto%:*}") || return 1
        _lhops=$((_lhops + 1))
        ;;
      *)
        printf '%s\n' "$_lout"
        return 0
        ;;
    esac
  done
  return 1
}

# take_lock: one Job at a time moves slots, whatever its spec (an old and a new creation Job, a Job and
# its retry): a key with a lease (CLUSTER_LOCK_SECONDS), renewed in the background while this run lives, so
# a Job killed in the middle frees it within the lease. Fails (the caller waits) while another holds it.
take_lock() {
  _lv="${POD_NAME}/$$/$(date +%s)"
  if [ "$(lock_cli SET "$LOCK_KEY" "$_lv" NX PX $((CLUSTER_LOCK_SECONDS * 1000)))" != OK ]; then
    _holder=$(lock_cli GET "$LOCK_KEY")
    # Empty: the lease ran out between the two calls; the next try takes the lock.
    if [ -n "$_holder" ] && [ "$_holder" != "${last_holder:-}" ]; then
      log "slots are being moved by another run ($_holder): waiting for its lock"
      last_holder=$_holder
    fi
    return 1
  fi
  lock_value=$_lv
  _parent=$$
  (
    while sleep $((CLUSTER_LOCK_SECONDS / 6 + 1)) && kill -0 "$_parent" 2>/dev/null; do
      if [ "$(lock_cli GET "$LOCK_KEY")" != "$_lv" ]; then
        log "lost the slot lock"
        exit 0
      fi
      lock_cli PEXPIRE "$LOCK_KEY" $((CLUSTER_LOCK_SECONDS * 1000)) >/dev/null
    done
  ) &
  renewer=$!
}

# open_slot_list: "SLOT FROM_ID TO_ID" per slot a node has MIGRATING (to TO) or IMPORTING (from FROM): a move
# left half done. From each node's own CLUSTER NODES line ("[S->-TO]" migrating, "[S-<-FROM]" importing).
open_slot_list() {
  while read -r _o _ip _p; do
    redis_cli "$_ip" "$_p" CLUSTER NODES 2>/dev/null | tr -d '\r' | awk '$3 ~ /myself/ {
      for (i = 9; i <= NF; i++) {
        if ($i !~ /^\[/) continue
        f = $i; gsub(/[][]/, "", f)
        if (index(f, "->-")) { split(f, x, "->-"); print x[1], $1, x[2] }
        else if (index(f, "-<-")) { split(f, x, "-<-"); print x[1], x[2], $1 }
      } }'
  done <"$work/nodes" | sort -u -k1,1n
}

open_slots() {
  [ -n "$(open_slot_list)" ]
}

# owns IP PORT SLOT: true when the node, in its own view, holds SLOT.
owns() {
  cluster_view "$1" "$2" | awk -v s="$3" '$6 ~ /myself/ && $9 != "-" {
    n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); if (b[1] <= s && s <= b[2]) f = 1 } }
    END { exit !f }'
}

# id_addr ID: "IP PORT" of a live node in the anchor's view.
id_addr() {
  awk -v id="$1" '$1 == id && $6 !~ /fail|noaddr|handshake/ { print $2, $3 }' "$work/view-$a"
}

# finish_slot SLOT FROM_ID TO_ID: completes a move the way redis-cli --cluster rebalance makes one, whatever
# step it stopped at: TO importing and FROM (the slot's owner now) migrating (each unless it no longer applies), every key of the
# slot still on FROM moved to TO (MIGRATE, the password inside the RESP stream, never on a command line),
# then the slot given to TO on TO, FROM and every other master. It never hands a slot back: a node that lost
# a slot to a newer epoch deletes the keys it holds there, so going back would drop the keys already moved
# and those written to TO under ASK (redis-cli --cluster fix can choose the old owner: found by the live test,
# every key of the slot lost).
finish_slot() {
  _fs=$1
  # The slot's owner now, if another than the node it was moving to: the marker names the node the move
  # started from, but that master may have failed over since (its replica took the slot and its keys, with no
  # marker: a node that changes role drops its markers).
  _owner=$(awk -v s="$_fs" '$6 ~ /master/ && $6 !~ /fail|noaddr|handshake/ && $9 != "-" {
    n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); if (b[1] <= s && s <= b[2]) { print $1; exit } } }' "$work/view-$a")
  if [ -n "$_owner" ] && [ "$_owner" != "$3" ]; then
    set -- "$1" "$_owner" "$3"
  fi
  _from=$(id_addr "$2")
  _to=$(id_addr "$3")
  if [ -z "$_from" ] || [ -z "$_to" ]; then
    log "slot $_fs was being moved from $2 to $3, and one of them is not a live node: left for the next try"
    return 1
  fi
  # shellcheck disable=SC2086 # "IP PORT"
  set -- $_from $_to
  _fip=$1 _fport=$2 _tip=$3 _tport=$4
  log "slot $_fs: finishing its move from $_fip:$_fport to $_tip:$_tport"
  _fid=$(redis_cli "$_fip" "$_fport" CLUSTER MYID | tr -d '\r')
  if ! owns "$_tip" "$_tport" "$_fs"; then
    # TO must see FROM as the owner: a node importing a slot ignores other claims of it, so when the master the
    # move started from became a replica (its slots dropped from every table) TO holds the slot as unassigned,
    # and answers CLUSTERDOWN to every key moved there (found by the live test). SETSLOT NODE (TO holds no slot
    # it could lose keys of) fixes its table, then it imports from the owner now.
    _tview_owner=$(cluster_view "$_tip" "$_tport" | awk -v s="$_fs" '$6 ~ /master/ && $9 != "-" {
      n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); if (b[1] <= s && s <= b[2]) { print $1; exit } } }')
    if [ "$_tview_owner" != "$_fid" ]; then
      send "$_tip" "$_tport" "slot $_fs (${_tview_owner:-unassigned} in its table)" CLUSTER SETSLOT "$_fs" NODE "$_fid" || return 1
    fi
    if ! redis_cli "$_tip" "$_tport" CLUSTER NODES 2>/dev/null | awk -v m="[$_fs-<-$_fid]" '$3 ~ /myself/ && index($0, m) { f = 1 } END { exit !f }'; then
      send "$_tip" "$_tport" "slot $_fs" CLUSTER SETSLOT "$_fs" IMPORTING "$_fid" || return 1
    fi
  fi
  if owns "$_fip" "$_fport" "$_fs"; then
    _tid=$(redis_cli "$_tip" "$_tport" CLUSTER MYID | tr -d '\r')
    if ! redis_cli "$_fip" "$_fport" CLUSTER NODES 2>/dev/null | awk -v m="[$_fs->-" '$3 ~ /myself/ && index($0, m) { f = 1 } END { exit !f }'; then
      send "$_fip" "$_fport" "slot $_fs" CLUSTER SETSLOT "$_fs" MIGRATING "$_tid" || return 1
    fi
    while :; do
      # An empty reply prints an empty line.
      redis_cli "$_fip" "$_fport" CLUSTER GETKEYSINSLOT "$_fs" 100 2>/dev/null | tr -d '\r' | awk 'NF' >"$work/keys" || return 1
      [ -s "$work/keys" ] || break
      set -- MIGRATE "$_tip" "$_tport" "" 0 30000 REPLACE
      if [ -n "${REDIS_PASSWORD:-}" ] && [ -n "${REDIS_USER:-}" ]; then
        set -- "$@" AUTH2 "$REDIS_USER" "$REDIS_PASSWORD"
      elif [ -n "${REDIS_PASSWORD:-}" ]; then
        set -- "$@" AUTH "$REDIS_PASSWORD"
      fi
      set -- "$@" KEYS
      while IFS= read -r _k; do
        set -- "$@" "$_k"
      done <"$work/keys"
      # set +e: redis_queue's own redis-cli fails on an error reply, and its message is what the log needs.
      _mout=$(
        set +e
        redis_queue 30 "$_fip" "$_fport" "$@"
      )
      if [ "$_mout" != OK ]; then
        log "slot $_fs: MIGRATE of $(awk 'END { print NR }' "$work/keys") key(s) failed: $_mout"
        return 1
      fi
      changes=$((changes + 1))
    done
  fi
  _tid=$(redis_cli "$_tip" "$_tport" CLUSTER MYID | tr -d '\r')
  # The new owner first (it bumps its config epoch), then the old one, then every other master.
  send "$_tip" "$_tport" "slot $_fs" CLUSTER SETSLOT "$_fs" NODE "$_tid" || return 1
  # The node the move started from may be a replica by now (SETSLOT is for masters): it follows its master.
  if [ "$(redis_role "$_fip" "$_fport")" = master ]; then
    send "$_fip" "$_fport" "slot $_fs" CLUSTER SETSLOT "$_fs" NODE "$_tid" || return 1
  fi
  awk '$6 ~ /master/ && $6 !~ /fail|noaddr|handshake/ { print $2, $3 }' "$work/view-$a" | while read -r _mip _mport; do
    if [ "$_mip:$_mport" != "$_tip:$_tport" ] && [ "$_mip:$_mport" != "$_fip:$_fport" ]; then
      redis_cli "$_mip" "$_mport" CLUSTER SETSLOT "$_fs" NODE "$_tid" >/dev/null 2>&1 || true
    fi
  done
}

# shares VIEW_FILE: "ID SLOTS" per master that should hold slots (holding some, or a new shard's master).
shares() {
  awk -v nm="$(awk '{ print $2 }' "$work/new-masters" | tr '\n' ' ')" '
    BEGIN { k = split(nm, a, " "); for (i = 1; i <= k; i++) want[a[i]] = 1 }
    $6 ~ /master/ && $6 !~ /fail/ && ($9 != "-" || ($1 in want)) {
      c = 0
      if ($9 != "-") { k = split($9, r, ","); for (i = 1; i <= k; i++) { split(r[i], b, "-"); c += b[2] - b[1] + 1 } }
      print $1, c
    }' "$1"
}

# unbalanced VIEW_FILE: true when a master's share is more than CLUSTER_BALANCE_PERCENT off 16384/masters.
unbalanced() {
  shares "$1" | awk -v pct="$CLUSTER_BALANCE_PERCENT" '
    { n++; c[n] = $2 }
    END { if (n == 0) exit 1; e = 16384 / n
      for (i = 1; i <= n; i++) { d = c[i] - e; if (d < 0) d = -d; if (d * 100 > e * pct) exit 0 }
      exit 1 }'
}

# cluster_manager SECONDS ARGS...: redis-cli --cluster ARGS (bounded by SECONDS), its progress lines logged.
cluster_manager() {
  _cm_secs=$1
  shift
  changes=$((changes + 1))
  log "redis-cli --cluster $*"
  if (
    REDIS_CLI_TIMEOUT=$_cm_secs
    redis_cli "$a_ip" "$a_port" --cluster "$@"
  ) >"$work/cm.out" 2>&1; then
    _cm_rc=0
  else
    _cm_rc=$?
  fi
  tr -d '\r' <"$work/cm.out" | grep -E '^(\[ERR\]|\[WARNING\]|>>>|\*\*\*|Moving|No rebalancing|Could not)' | while read -r _l; do
    log "  $_l"
  done
  if [ "$_cm_rc" != 0 ]; then
    log "  redis-cli --cluster $1 failed (exit $_cm_rc): $(tr -d '\r' <"$work/cm.out" | grep -v '^[#.]*$' | tail -n 3 | tr '\n' ' ')"
  fi
  return "$_cm_rc"
}

# finish_open_slots: every move left half done is finished (finish_slot); false when one could not be (retried).
finish_open_slots() {
  _fo_ok=0
  open_slot_list >"$work/open"
  if [ -s "$work/open" ]; then
    log "a slot move was left half done (MIGRATING/IMPORTING): finishing it"
    while read -r _s _f _t; do
      finish_slot "$_s" "$_f" "$_t" || _fo_ok=1
    done <"$work/open"
  fi
  return "$_fo_ok"
}

# slots_settled: no slot open and every share even, as seen under the lock; moves them there otherwise.
# False while the lock is held elsewhere, or a move failed (retried).
slots_settled() {
  gather || return 1
  a=$(anchor)
  if ! open_slots && ! unbalanced "$work/view-$a"; then
    return 0
  fi
  a_ip=$(node_ip "$a")
  a_port=$(node_port "$a")
  take_lock || return 1
  # Another run may have done the work before this one got the lock.
  gather || return 1
  _ok=0
  finish_open_slots || _ok=1
  if [ "$_ok" = 0 ] && unbalanced "$work/view-$a"; then
    # Masters without slots that are no new shard's master keep none (weight 0), each as it sees itself.
    _zero=$(while read -r _o _ip _p; do
      awk -v nm="$(awk '{ print $2 }' "$work/new-masters" | tr '\n' ' ')" '
        BEGIN { k = split(nm, x, " "); for (i = 1; i <= k; i++) want[x[i]] = 1 }
        $6 ~ /myself/ && $6 ~ /master/ && $9 == "-" && !($1 in want) { print $1 "=0" }' "$work/view-$_o"
    done <"$work/nodes" | tr '\n' ' ')
    log "moving slots so that $(shares "$work/view-$a" | awk 'END { print NR }') masters hold an even share: $(shares "$work/view-$a" | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
    # shellcheck disable=SC2086 # one argument per node
    cluster_manager "$CLUSTER_REBALANCE_SECONDS" rebalance "$a_ip:$a_port" --cluster-use-empty-masters \
      --cluster-threshold "$CLUSTER_BALANCE_PERCENT" --cluster-yes ${_zero:+--cluster-weight $_zero} || _ok=1
  fi
  stop_renewer
  gather || return 1
  a=$(anchor)
  if [ "$_ok" != 0 ]; then
    # A move that stopped (the write fence refusing a key's RESTORE or MIGRATE while a replica lags, a master
    # failing over, a lost connection) after slots moved is progress: CLUSTER_WAIT_SECONDS bounds a wait
    # without any, not a long rebalance.
    _sig=$(shares "$work/view-$a" | tr '\n' ' ')
    if [ "$_sig" != "${last_shares:-}" ]; then
      last_shares=$_sig
      start=$(date +%s)
    fi
    return 1
  fi
  ! open_slots && ! unbalanced "$work/view-$a"
}

# ---- replicas
# free_nodes: "ORDINAL ID" per free node, lowest ordinal first: a master without slots in the anchor's view and in its
# own (one whose own view gives it slots holds them, and one whose own view makes it a replica is one), no new shard's
# master (step 5: it waits for its slots) and not placed by this run (its view file is from before).
free_nodes() {
  awk 'FNR == NR { ord[$2] = $1; next } ($1 in ord) && $6 ~ /master/ && $6 !~ /fail/ && $9 == "-" { print ord[$1], $1 }' \
    "$work/ordinals" "$work/view-$a" | sort -k1,1n | while read -r _fo _fid; do
    grep -q -x -e "[0-9]* $_fid" -e "$_fid" "$work/new-masters" "$work/placed" || ! free_itself "$_fo" || printf '%s %s\n' "$_fo" "$_fid"
  done
}

# replica_counts VIEW: "INDEX MASTER_ID REPLICAS" per shard (cluster_shards' order), counting every replica, healthy or
# not: a replica restarting in a roll (flagged fail?) still belongs to its shard and comes back to it.
replica_counts() {
  cluster_shards "$1" | while read -r _i _m _h _f _s; do
    printf '%s %s %s\n' "$_i" "$_m" "$(printf '%s\n' "$1" | awk -v m="$_m" '$6 ~ /slave/ && $7 == m { n++ } END { print n + 0 }')"
  done
}

# replicas_placed: true when every shard has REPLICAS_PER_SHARD replicas in every node's view, or, in the anchor's
# view, lacks some with no node left to give it (fewer pods than shards x (1 + replicas)). Otherwise it moves one node,
# as step 6 would have: a free node left (a master without slots that is no new shard's master), or else a replica
# of a master that has more than REPLICAS_PER_SHARD (the one whose own shard by ordinal is the lacking one first, then
# the highest ordinal) becomes the replica of the first shard that lacks one. A surplus comes from a pod's healer
# (cluster-heal.sh: a free node replicates a shard that lacks one, after CLUSTER_HEAL_GRACE_SECONDS) choosing from its
# own view while this Job placed others: both saw the same lack, and Redis's own replica migration moves a replica
# only to a master left with none that had one before (found in CI: 4 shards x 2 replicas created with 3, 2, 2 and 1).
replicas_placed() {
  gather || return 1
  a=$(anchor)
  _lack=$(replica_counts "$(cat "$work/view-$a")" | awk -v w="$REPLICAS_PER_SHARD" '$3 < w { print $1, $2; exit }')
  if [ -n "$_lack" ]; then
    _li=${_lack%% *}
    _lack=${_lack#* }
    # "ORDINAL ID": free nodes first (lowest ordinal), then surplus replicas (own shard the lacking one, then highest ordinal).
    _move=$({
      free_nodes
      awk 'FNR == NR { ord[$2] = $1; next } $6 ~ /slave/ && $6 !~ /fail/ && ($1 in ord) { print ord[$1], $1, $7 }' \
        "$work/ordinals" "$work/view-$a" |
        awk -v r="$REPLICAS_PER_SHARD" '{ line[NR] = $0; m[NR] = $3; n[$3]++ } END { for (i = 1; i <= NR; i++) if (n[m[i]] > r) print line[i] }' |
        while read -r _so _sid _sm; do
          printf '%s %s %s\n' "$([ "$(cluster_preferred_shard "$_so")" = "$_li" ] && echo 0 || echo 1)" "$_so" "$_sid"
        done | sort -k1,1n -k2,2nr | awk '{ print $2, $3 }'
    } | head -n 1)
    if [ -z "$_move" ]; then
      log "shard master $_lack lacks a replica and no node is free or beyond $REPLICAS_PER_SHARD replica(s) of its master: left as it is"
      return 0
    fi
    _o=${_move%% *}
    send "$(node_ip "$_o")" "$(node_port "$_o")" "pod $_o replicates shard master $_lack, which lacks a replica" CLUSTER REPLICATE "$_lack" || return 1
    # The next choice is made once the anchor's view shows this one (a stale view would move another node there).
    _id=${_move#* }
    for _t in 1 2 3 4 5; do
      sleep 1
      cluster_view "$(node_ip "$a")" "$(node_port "$a")" | awk -v id="$_id" -v m="$_lack" '$1 == id && $7 == m { ok = 1 } END { exit !ok }' && break
    done
    return 1
  fi
  while read -r _o _ip _p; do
    replica_counts "$(cat "$work/view-$_o")" | awk -v w="$REPLICAS_PER_SHARD" '$3 < w { bad = 1 } END { exit bad }' || return 1
  done <"$work/nodes"
}

# ---- drain: fewer shards (CLUSTER_DRAIN=true, SHARDS the new count). Run while the old StatefulSet still has
# every pod: the pods listed here are the ones that stay (ordinals below SHARDS x (1 + REPLICAS_PER_SHARD)), the
# others are seen only in the nodes' views. One step per call, then false until nothing is left to do:
#   a. while fewer than SHARDS masters with slots are on staying pods, a replica on a staying pod of a master on
#      a pod that goes takes over (CLUSTER FAILOVER: no key moves);
#   b. every master with slots but the first SHARDS on staying pods (by ordinal) is emptied, under the slot lock,
#      by redis-cli --cluster rebalance with weight 0 (a move left half done finished first, towards its new
#      owner); a master that loses its last slot becomes a replica by itself (cluster-allow-replica-migration);
#   c. each staying master gets REPLICAS_PER_SHARD replicas on staying pods (CLUSTER REPLICATE on the others).
drain_failover_at=0
# A replica whose election failed may not start another for 4 x cluster-node-timeout (Redis' failover retry time).
drain_retry_seconds=$((${CLUSTER_NODE_TIMEOUT_MILLISECONDS:-15000} * 4 / 1000 + 2))

# seen_as_replica ID MASTER_ID: every master with slots (in the anchor's view) sees node ID as a replica of
# MASTER_ID in its own view. A master learns a role change from gossip only, and refuses its vote to a node it
# still takes for a master ("Failover auth denied ...: it is a master node").
seen_as_replica() {
  awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { print $2, $3 }' "$work/view-$a" | while read -r _vip _vport; do
    cluster_view "$_vip" "$_vport" | awk -v id="$1" -v m="$2" '$1 == id && $6 ~ /slave/ && $7 == m { f = 1 } END { exit !f }' || exit 1
  done
}

# drain_seen: every pod that stays sees each staying master with its REPLICAS_PER_SHARD replicas among them
# (roles reach the other nodes by gossip, after the node itself has changed).
drain_seen() {
  gather || return 1
  while read -r _o _ip _p; do
    awk -v r="$REPLICAS_PER_SHARD" 'FILENAME == ARGV[1] { stay[$2] = 1; next } FILENAME == ARGV[2] { kept[$2] = 1; next }
      $6 ~ /slave/ && ($1 in kept) && ($7 in stay) { n[$7]++ }
      END { for (m in stay) if (n[m] < r) exit 1 }' "$work/stay" "$work/kept" "$work/view-$_o" || return 1
  done <"$work/nodes"
}

drained() {
  gather || return 1
  a=$(anchor)
  a_ip=$(node_ip "$a")
  a_port=$(node_port "$a")
  # "ORDINAL ID" of every staying pod, and of those that are masters with slots: the first SHARDS stay masters.
  cp "$work/ordinals" "$work/kept"
  awk 'NR == FNR { o[$2] = $1; next } ($1 in o) && $6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { print o[$1], $1 }' \
    "$work/kept" "$work/view-$a" | sort -k1,1n | head -n "$SHARDS" >"$work/stay"
  if [ "$(awk 'END { print NR }' "$work/stay")" -lt "$SHARDS" ]; then
    # A failover asked for is given the replica's retry time to happen before another is asked for.
    [ $(($(date +%s) - drain_failover_at)) -ge "$drain_retry_seconds" ] || return 1
    while read -r _o _ip _p; do
      _id=$(cat "$work/id-$_o")
      _m=$(awk -v id="$_id" '$1 == id && $6 ~ /slave/ && $6 !~ /fail/ { print $7 }' "$work/view-$a")
      # A replica of a master on a pod that goes.
      if [ -z "$_m" ] || grep -q -x "$_m" "$work/ids"; then
        continue
      fi
      awk -v id="$_m" '$1 == id && $6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { f = 1 } END { exit !f }' "$work/view-$a" || continue
      [ "$(redis_cli "$_ip" "$_p" INFO replication 2>/dev/null | tr -d '\r' | awk -F: '$1 == "master_link_status" { print $2 }')" = up ] || continue
      if ! seen_as_replica "$(cat "$work/id-$_o")" "$_m"; then
        if [ "${drain_gossip_logged:-}" != "$_o" ]; then
          log "draining: pod $_o is not yet seen as a replica of $_m by every master (gossip): waiting before its failover"
          drain_gossip_logged=$_o
        fi
        return 1
      fi
      drain_failover_at=$(date +%s)
      send "$_ip" "$_p" "draining: pod $_o takes over the slots of its master $_m, on a pod that goes" CLUSTER FAILOVER || true
      return 1
    done <"$work/nodes"
    log "draining: fewer than $SHARDS masters with slots on the pods that stay, and no replica there of a master on a pod that goes with its link up: waiting"
    return 1
  fi
  _zero=$(awk 'NR == FNR { stay[$2] = 1; next } $6 ~ /master/ && $9 != "-" && !($1 in stay) { printf "%s=0 ", $1 }' "$work/stay" "$work/view-$a")
  if [ -n "$_zero" ] || open_slots; then
    if awk 'NR == FNR { stay[$2] = 1; next } $6 ~ /master/ && $6 ~ /fail/ && $9 != "-" && !($1 in stay) { f = 1 } END { exit !f }' \
      "$work/stay" "$work/view-$a"; then
      log "draining: a master to empty is failing: waiting for its replica to take over"
      return 1
    fi
    take_lock || return 1
    gather || {
      stop_renewer
      return 1
    }
    finish_open_slots || true
    if [ -n "$_zero" ]; then
      log "draining: emptying $(printf '%s' "$_zero" | wc -w | tr -d ' ') master(s) onto pod(s) $(awk '{ print $1 }' "$work/stay" | tr '\n' ' ')(weight 0: ${_zero% })"
      # shellcheck disable=SC2086 # one argument per master
      cluster_manager "$CLUSTER_REBALANCE_SECONDS" rebalance "$a_ip:$a_port" --cluster-yes --cluster-weight $_zero || true
    fi
    stop_renewer
    return 1
  fi
  # "ORDINAL MASTER_ID": staying pods that are not yet one of the REPLICAS_PER_SHARD replicas (by ordinal) of a
  # staying master replicate the one with the fewest. Each pod's role as it sees itself (the anchor learns a
  # CLUSTER REPLICATE by gossip, a moment later).
  while read -r _o _ip _p; do
    awk '$6 ~ /myself/ { print $1, $6, $7 }' "$work/view-$_o"
  done <"$work/nodes" >"$work/roles"
  awk -v r="$REPLICAS_PER_SHARD" '
    FILENAME == ARGV[1] { stay[$2] = 1; order[++ns] = $2; next }
    FILENAME == ARGV[2] { ko[++nk] = $1; kid[nk] = $2; next }
    { role[$1] = $2; of[$1] = $3 }
    END {
      for (i = 1; i <= nk; i++) {
        id = kid[i]
        if (id in stay) continue
        m = of[id]
        if (role[id] ~ /slave/ && (m in stay) && have[m] < r) { have[m]++; continue }
        spare[++sp] = i
      }
      for (j = 1; j <= sp; j++) {
        best = ""
        for (s = 1; s <= ns; s++) { m = order[s]; if (have[m] < r && (best == "" || have[m] < have[best])) best = m }
        if (best == "") break
        have[best]++
        print ko[spare[j]], best
      }
    }' "$work/stay" "$work/kept" "$work/roles" >"$work/rehome"
  if [ -s "$work/rehome" ]; then
    while read -r _o _m; do
      send "$(node_ip "$_o")" "$(node_port "$_o")" "draining: pod $_o replicates staying master $_m" CLUSTER REPLICATE "$_m" || true
    done <"$work/rehome"
    return 1
  fi
}

# ---- 1. every node answers and resolves
wait_until "every pod name to resolve" resolved || {
  log "unresolved: $(cat "$work/unresolved" 2>/dev/null)"
  exit 1
}
total=$(awk 'END { print NR }' "$work/nodes")
wait_until "all $total nodes to answer PING" everyone_answers || exit 1
gather || {
  log "a node did not answer CLUSTER MYID / CLUSTER NODES (is cluster-enabled on?)"
  exit 1
}

if [ "${CLUSTER_DRAIN:-false}" = true ]; then
  log "draining to $SHARDS shards on pods 0-$((total - 1)) (the StatefulSet's pods $total and up go when the new output is applied)"
  wait_until "every node to know every other node" everyone_knows_everyone || exit 1
  wait_until "every node to answer CLUSTER MYID and CLUSTER NODES" gather || exit 1
  a=$(anchor)
  _held=$(awk '$6 ~ /master/ && $9 != "-" { n++ } END { print n + 0 }' "$work/view-$a")
  if [ "$_held" -lt "$SHARDS" ]; then
    log "the cluster has $_held masters with slots and the profile $SHARDS shards: a drain is for fewer shards (for more, apply the new output: its creation Job scales out)"
    exit 1
  fi
  wait_until "the shards that go to be drained" drained || exit 1
  wait_until "every pod that stays to see the new roles" drain_seen || exit 1
  wait_until "cluster_state:ok on all $total nodes" everyone_ok || exit 1
  if [ "$changes" -eq 0 ]; then
    log "nothing to drain: $SHARDS masters with slots on pods 0-$((total - 1)), each with its replicas there; cluster_state:ok on all $total nodes"
  else
    log "drained after $changes change(s) in $(elapsed)s: $SHARDS masters with slots on pods 0-$((total - 1)), each with its replicas there; apply the new output now"
  fi
  exit 0
fi

# ---- 2. brand-new nodes: slot ranges for the masters, distinct config epochs (as redis-cli --cluster create)
fresh=1
while read -r o _ip _p; do
  if holds_slots "$o" || ! alone "$o"; then
    fresh=0
  fi
done <"$work/nodes"
if [ "$fresh" = 1 ]; then
  log "new nodes: creating the cluster ($SHARDS masters, $REPLICAS_PER_SHARD replica(s) each, $total nodes)"
  cluster_plan_ranges >"$work/plan"
  # Epochs first: a node accepts one only while it knows no other node, and cluster-heal.sh meets a
  # master as soon as it holds slots. A collision would only cost Redis a round of its own resolution.
  while read -r k first last; do
    send "$(node_ip "$k")" "$(node_port "$k")" "shard $k" CLUSTER SET-CONFIG-EPOCH $((k + 1)) || true
  done <"$work/plan"
  while read -r k first last; do
    send "$(node_ip "$k")" "$(node_port "$k")" "shard $k" CLUSTER ADDSLOTSRANGE "$first" "$last" || exit 1
  done <"$work/plan"
fi

# ---- 3. meet: every node joins the anchor's cluster (CLUSTER MEET takes an IP and the bus port)
wait_until "every node to answer CLUSTER MYID and CLUSTER NODES" gather || exit 1
a=$(anchor)
a_ip=$(node_ip "$a")
a_port=$(node_port "$a")
a_bus=$(awk '$6 ~ /myself/ { print $4 }' "$work/view-$a")
while read -r o ip port; do
  [ "$o" != "$a" ] || continue
  id=$(cat "$work/id-$o")
  if ! awk -v id="$id" '$1 == id && $6 !~ /handshake|noaddr/ { ok = 1 } END { exit !ok }' "$work/view-$a" ||
    ! awk -v id="$(cat "$work/id-$a")" '$1 == id && $6 !~ /handshake|noaddr/ { ok = 1 } END { exit !ok }' "$work/view-$o"; then
    send "$ip" "$port" "pod $o does not know pod $a's cluster yet" CLUSTER MEET "$a_ip" "$a_port" "${a_bus:-$((a_port + 10000))}" || exit 1
  fi
done <"$work/nodes"
wait_until "every node to know every other node" everyone_knows_everyone || exit 1

# ---- 4. slots nobody holds go to the shard whose planned range they are in
wait_until "every node to answer CLUSTER MYID and CLUSTER NODES" gather || exit 1
a=$(anchor)
cluster_plan_ranges >"$work/plan"
awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); print b[1], b[2], $1 } }' \
  "$work/view-$a" >"$work/held"
# Slots held by a failed node count as held: moving them is a decision about lost data, left to a person.
awk '$6 ~ /fail/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); print b[1], b[2], $1 } }' \
  "$work/view-$a" >>"$work/held"
# And the slots each node holds in its own view: the anchor learns another node's slots by gossip, a moment after
# it knows the node (just after step 2 it may not yet; giving such a slot again fails with "already busy").
while read -r o _ip _p; do
  awk '$6 ~ /myself/ && $6 ~ /master/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); print b[1], b[2], $1 } }' \
    "$work/view-$o"
done <"$work/nodes" >>"$work/held"
while read -r k first last; do
  # Free runs of [first, last] that no line of held covers: "FROM TO" lines.
  awk -v f="$first" -v l="$last" '
    { lo[NR] = $1; hi[NR] = $2 }
    END {
      s = f
      while (s <= l) {
        covered = 0
        for (i = 1; i <= NR; i++) if (lo[i] <= s && s <= hi[i]) { covered = 1; s = hi[i] + 1; break }
        if (covered) continue
        e = s
        while (e + 1 <= l) {
          c = 0
          for (i = 1; i <= NR; i++) if (lo[i] <= e + 1 && e + 1 <= hi[i]) { c = 1; break }
          if (c) break
          e++
        }
        print s, e
        s = e + 1
      }
    }' "$work/held" >"$work/free-$k"
  [ -s "$work/free-$k" ] || continue
  # The owner: the live master holding slots of this range, else pod k if it is a free master, else any free master.
  owner=$(awk -v f="$first" -v l="$last" '$1 <= l && $2 >= f { print $3; exit }' "$work/held")
  if [ -z "$owner" ]; then
    kid=$(cat "$work/id-$k" 2>/dev/null || true)
    owner=$(awk -v id="$kid" '$1 == id && $6 ~ /master/ && $6 !~ /fail/ && $9 == "-" { print $1 }' "$work/view-$a")
    if [ -z "$owner" ]; then
      owner=$(awk '$6 ~ /master/ && $6 !~ /fail/ && $9 == "-" { print $1; exit }' "$work/view-$a")
    fi
  fi
  if [ -z "$owner" ]; then
    log "slots $(tr '\n' ' ' <"$work/free-$k")of shard $k are held by nobody and no master can take them"
    exit 1
  fi
  oo=$(grep -l -x "$owner" "$work"/id-* | sed 's/.*id-//' | head -n 1)
  while read -r from to; do
    send "$(node_ip "$oo")" "$(node_port "$oo")" "slots $from-$to of shard $k are held by nobody" CLUSTER ADDSLOTSRANGE "$from" "$to" || exit 1
    printf '%s %s %s\n' "$from" "$to" "$owner" >>"$work/held"
  done <"$work/free-$k"
done <"$work/plan"

# free_masters: "CHOSEN_BEFORE ORDINAL ID" per pod that is a master without slots, not failing, in the anchor's view
# and in its own (free_itself): the ones with a replica first (chosen by an earlier run), then by ordinal.
free_masters() {
  while read -r _fmo _ip _p; do
    free_itself "$_fmo" || continue
    awk -v id="$(cat "$work/id-$_fmo")" -v o="$_fmo" '
      $7 == id && $6 ~ /slave/ { reps++ }
      $1 == id && $6 ~ /master/ && $6 !~ /fail/ && $9 == "-" { free = 1 }
      END { if (free) print (reps > 0 ? 0 : 1), o, id }' "$work/view-$a"
  done <"$work/nodes" | sort -k1,1n -k2,2n
}

# role_of ID VIEW_FILE: node ID's role in the view (M: master with slots, m: master without, s: replica, !: flagged
# failing, ?: not listed).
role_of() {
  awk -v id="$1" '$1 == id { r = ($6 ~ /slave/ ? "s" : ($9 == "-" ? "m" : "M")) ($6 ~ /fail/ ? "!" : "") }
    END { print (r == "" ? "?" : r) }' "$2"
}

# roles: "ORDINAL:OWN/ANCHOR" per pod, its role in its own view and in the anchor's (role_of), then how many nodes
# the anchor's view lists.
roles() {
  while read -r _ro _ip _p; do
    _rid=$(cat "$work/id-$_ro")
    printf '%s:%s/%s ' "$_ro" "$(role_of "$_rid" "$work/view-$_ro")" "$(role_of "$_rid" "$work/view-$a")"
  done <"$work/nodes"
  printf "(%s nodes in pod %s's view)" "$(awk 'END { print NR }' "$work/view-$a")" "$a"
}

# surplus_replicas_reset WANTED: when fewer than WANTED pods are masters without slots (free_masters), replicas beyond
# REPLICAS_PER_SHARD of their master (highest ordinal first) become empty masters for the new shards: CLUSTER RESET
# SOFT (a replica's copy of its master's data is flushed; it keeps its id and forgets the other nodes), then
# CLUSTER MEET of the anchor. A pod removed by a scale in comes back from its kept volume (whenScaled: Retain) as the
# replica it was, so a second scale out finds no empty master otherwise. True when it reset one.
surplus_replicas_reset() {
  _free=$(free_masters | awk 'END { print NR }')
  [ "$_free" -lt "$1" ] || return 1
  # "ORDINAL ID" of each surplus replica, highest ordinal first: replicas of one master beyond the first
  # REPLICAS_PER_SHARD by ordinal.
  awk -v a="$a" 'FNR == NR { ord[$2] = $1; next }
    $6 ~ /slave/ && $6 !~ /fail/ && ($1 in ord) && ord[$1] != a { print ord[$1], $1, $7 }' "$work/ordinals" "$work/view-$a" |
    sort -k3,3 -k1,1n | awk -v r="$REPLICAS_PER_SHARD" '{ if ($3 != m) { m = $3; n = 0 } n++; if (n > r) print $1, $2 }' |
    sort -k1,1nr | head -n $(($1 - _free)) >"$work/surplus"
  [ -s "$work/surplus" ] || return 1
  _abus=$(awk '$6 ~ /myself/ { print $4 }' "$work/view-$a")
  while read -r _o _id; do
    send "$(node_ip "$_o")" "$(node_port "$_o")" "scaling out: pod $_o is a replica beyond $REPLICAS_PER_SHARD of its master (a pod back from a scale in with its old volume, or a new pod a healer made a replica): an empty master for a new shard" CLUSTER RESET SOFT || exit 1
    send "$(node_ip "$_o")" "$(node_port "$_o")" "pod $_o meets pod $a's cluster again" CLUSTER MEET "$(node_ip "$a")" "$(node_port "$a")" "${_abus:-$(($(node_port "$a") + 10000))}" || exit 1
  done <"$work/surplus"
}

# reset_seen: every node of surplus is a master without slots in the (new) anchor's view.
reset_seen() {
  gather || return 1
  a=$(anchor)
  awk 'FNR == NR { want[$2] = 1; w++; next } ($1 in want) && $6 ~ /master/ && $9 == "-" { n++ } END { exit n < w }' \
    "$work/surplus" "$work/view-$a"
}

# spare_node: "ORDINAL ID" of the node to replicate a new shard's master: a free node (free_nodes) without replicas in
# the anchor's view, lowest ordinal first, else a replica beyond REPLICAS_PER_SHARD of a master with slots, highest ordinal first. A new pod's
# healer (cluster-heal.sh) may have made it a replica on a view from just after it met the cluster, before it knew
# every other replica. (A CI scale out found pod 7 not free in a view it read, and moved slots to the new shard's
# master while it had no replica.)
spare_node() {
  free_nodes | awk 'FNR == NR { if ($6 ~ /slave/) reps[$7] = 1; next } !($2 in reps)' "$work/view-$a" - | sed -n 1p | grep . && return 0
  awk -v r="$REPLICAS_PER_SHARD" 'FILENAME == ARGV[1] { ord[$2] = $1; next } FILENAME == ARGV[2] { placed[$1] = 1; next }
    $6 ~ /master/ && $9 != "-" { slots[$1] = 1 }
    $6 ~ /slave/ && $6 !~ /fail/ && ($1 in ord) && !($1 in placed) { n[$7]++; line[++k] = ord[$1] " " $1 " " $7 }
    END { for (i = 1; i <= k; i++) { split(line[i], f, " "); if ((f[3] in slots) && n[f[3]] > r) print f[1], f[2] } }' \
    "$work/ordinals" "$work/placed" "$work/view-$a" | sort -k1,1nr | sed -n 1p | grep .
}

# new_shards_replicated: true when every new shard's master (new-masters) has REPLICAS_PER_SHARD replicas, counting
# those this run placed (placed-to: "REPLICA_ID MASTER_ID"; the anchor learns a role change by gossip, later). Places
# the ones missing (spare_node) first; false while one lacks a replica and no node can be given to it.
new_shards_replicated() {
  gather || return 1
  a=$(anchor)
  _nr_lack=0
  while read -r _no _nid; do
    # Still a master without slots as it sees itself (a healer may have made it a replica before it had one): else
    # this run ends, and the next one starts from what the cluster is now (a surplus replica reset, if it must be).
    if ! free_itself "$_no"; then
      log "pod $_no, chosen for a new shard's master, is no master without slots any more ($(role_of "$_nid" "$work/view-$_no") in its own view): exit 1 (the Job runs again)"
      exit 1
    fi
    _have=$({
      awk -v id="$_nid" '$7 == id && $6 ~ /slave/ && $6 !~ /fail/ { print $1 }' "$work/view-$a"
      awk -v id="$_nid" '$2 == id { print $1 }' "$work/placed-to"
    } | sort -u | awk 'END { print NR }')
    while [ "$_have" -lt "$REPLICAS_PER_SHARD" ]; do
      _spare=$(spare_node) || break
      _so=${_spare%% *}
      _sid=${_spare#* }
      _why="pod $_so replicates new shard master pod $_no"
      free_itself "$_so" || _why="$_why (it was a replica beyond $REPLICAS_PER_SHARD of its master)"
      send "$(node_ip "$_so")" "$(node_port "$_so")" "$_why" CLUSTER REPLICATE "$_nid" || return 1
      printf '%s\n' "$_sid" >>"$work/placed"
      printf '%s %s\n' "$_sid" "$_nid" >>"$work/placed-to"
      _have=$((_have + 1))
    done
    [ "$_have" -ge "$REPLICAS_PER_SHARD" ] || _nr_lack=1
  done <"$work/new-masters"
  return "$_nr_lack"
}

# ---- 5. scaling out: free nodes (the new pods) become the masters of the shards that do not exist yet
# (lowest ordinal first; a free master with a replica was chosen by an earlier run), the next their replicas
wait_until "every node to answer CLUSTER MYID and CLUSTER NODES" gather || exit 1
a=$(anchor)
: >"$work/new-masters"
: >"$work/placed"
: >"$work/placed-to"
# A failing master with slots counts: its replica is about to take them, it is no missing shard. So does a master
# whose own view gives it slots that no master holds in the anchor's view (slots given by ADDSLOTS reach the other
# nodes by gossip, after they know the node: seen in a creation, which then made a shard master a new one). A node
# whose own view gives it slots that the anchor's view gives another master does not: its claim is stale (a failover
# it has not heard of yet).
awk '$6 ~ /master/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); print b[1], b[2], $1 } }' \
  "$work/view-$a" >"$work/anchor-held"
held=$({
  awk '$6 ~ /master/ && $9 != "-" { print $1 }' "$work/view-$a"
  while read -r o _ip _p; do
    awk 'FILENAME == ARGV[1] { lo[FNR] = $1 + 0; hi[FNR] = $2 + 0; n = FNR; next }
      $6 ~ /myself/ && $6 ~ /master/ && $9 != "-" {
        split($9, r, ","); split(r[1], b, "-"); f = b[1] + 0
        for (i = 1; i <= n; i++) if (lo[i] <= f && f <= hi[i]) exit
        print $1
      }' "$work/anchor-held" "$work/view-$o"
  done <"$work/nodes"
} | sort -u | awk 'END { print NR }')
if [ "$held" -lt "$SHARDS" ] && surplus_replicas_reset $((SHARDS - held)); then
  wait_until "every node to know every other node" everyone_knows_everyone || exit 1
  wait_until "the reset replicas to be known as masters without slots" reset_seen || exit 1
fi
if [ "$held" -lt "$SHARDS" ]; then
  free_masters | head -n $((SHARDS - held)) | awk '{ print $2, $3 }' >"$work/new-masters"
  if [ -s "$work/new-masters" ]; then
    log "scaling out: $held masters hold slots, $SHARDS wanted: new shard master(s) pod $(awk '{ print $1 }' "$work/new-masters" | tr '\n' ' ')"
  else
    # Nothing to make a shard of (a surplus replica would have been reset): say what each node is, and run again.
    log "scaling out: $held masters hold slots, $SHARDS wanted, and no pod is a master without slots nor a replica beyond $REPLICAS_PER_SHARD of its master; each pod as it sees itself / as pod $a sees it (M: master with slots, m: master without, s: replica, !: failing): $(roles): exit 1 (the Job runs again)"
    exit 1
  fi
  # Their replicas, before any slot moves: a new shard must be safe before it takes keys.
  if [ -s "$work/new-masters" ] && [ "$REPLICAS_PER_SHARD" -gt 0 ]; then
    wait_until "the new shards' masters to have their $REPLICAS_PER_SHARD replica(s)" new_shards_replicated || exit 1
  fi
fi

# ---- 6. free nodes replicate the shards that lack replicas
if [ "$REPLICAS_PER_SHARD" -gt 0 ]; then
  # Slots just assigned take a moment to reach the other nodes' views.
  sleep 1
  wait_until "every node to answer CLUSTER MYID and CLUSTER NODES" gather || exit 1
  a=$(anchor)
  # Free nodes: new shards' masters and their replicas placed in step 5 left out (gossip may not have told the
  # anchor yet), and a master whose own view gives it slots (the anchor learns slots just assigned by gossip, later:
  # a CI creation sent CLUSTER REPLICATE to shard 2's master, which refused it, and the Job failed).
  free_nodes >"$work/free-left"
  while read -r o id; do
    if ! m=$(cluster_choose_shard "$(cat "$work/view-$a")" "$o"); then
      log "pod $o is a master without slots, and every shard has its $REPLICAS_PER_SHARD replica(s): left as it is"
      continue
    fi
    send "$(node_ip "$o")" "$(node_port "$o")" "pod $o replicates shard master $m" CLUSTER REPLICATE "$m" || exit 1
    # The anchor's view must show the new replica before the next free node chooses.
    awk -v id="$id" -v m="$m" '$1 == id { $6 = "slave"; $7 = m } { print }' "$work/view-$a" >"$work/view.tmp"
    mv -f "$work/view.tmp" "$work/view-$a"
  done <"$work/free-left"
fi

# ---- 7. slots: a move left half done is finished, shares are evened out (new shards get theirs)
wait_until "every node to know every other node" everyone_knows_everyone || exit 1
wait_until "slot moves to finish (every share within ${CLUSTER_BALANCE_PERCENT}% of 16384/masters)" slots_settled || exit 1

# ---- 8. replicas: every shard with its replicas, in every node's view
if [ "$REPLICAS_PER_SHARD" -gt 0 ]; then
  wait_until "every shard to have its $REPLICAS_PER_SHARD replica(s) in every node's view" replicas_placed || exit 1
fi

# ---- 9. ok everywhere
wait_until "cluster_state:ok on all $total nodes" everyone_ok || exit 1
# Never "formed" with a shard missing: a run that made too few shards (step 5 misled by a view from the middle of a
# roll) fails, and the Job's next run, with settled views, makes the missing ones.
wait_until "every node to answer CLUSTER MYID and CLUSTER NODES" gather || exit 1
a=$(anchor)
_shards_now=$(awk '$6 ~ /master/ && $9 != "-" { n++ } END { print n + 0 }' "$work/view-$a")
if [ "$_shards_now" -lt "$SHARDS" ]; then
  log "$_shards_now masters hold slots, $SHARDS wanted: exit 1 (the Job runs again and makes the missing shard(s))"
  exit 1
fi
if [ "$changes" -eq 0 ]; then
  log "cluster already formed: nothing to change; cluster_state:ok on all $total nodes"
else
  log "cluster formed after $changes change(s) in $(elapsed)s; cluster_state:ok on all $total nodes"
fi
exit 0
