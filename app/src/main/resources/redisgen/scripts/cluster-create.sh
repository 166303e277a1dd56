# shellcheck shell=sh
# cluster-create.sh: the cluster-creation Job. Converges the nodes to a formed
# cluster, whatever it finds, and changes nothing on a formed one:
#   1. waits (bounded) until every node answers PING and its name resolves;
#   2. on nodes that are all new (no slots anywhere, each knowing only itself):
#      gives the masters (pods 0..SHARDS-1) their slot ranges;
#   3. meets every node that another does not know yet (a partly formed cluster,
#      a node that came back empty);
#   4. gives slots nobody holds to the shard they belong to (an interrupted run);
#   5. makes each free node (a master without slots) the replica of a shard that
#      lacks one, its own shard by ordinal first (pod SHARDS+k replicates shard k);
#   6. waits until every node reports cluster_state:ok from CLUSTER INFO, with
#      all 16384 slots, and knows every other node.
# Exit 0 when the cluster is ok, 1 otherwise (the Job retries: idempotent).
# shellcheck disable=SC2317 # the checks are called through all_nodes and wait_until
set -eu
LOG_TAG=cluster-create
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
SHARDS="${SHARDS:-3}"
REPLICAS_PER_SHARD="${REPLICAS_PER_SHARD:-1}"
CLUSTER_WAIT_SECONDS="${CLUSTER_WAIT_SECONDS:-300}"

work=$(mktemp -d "${TMPDIR:-/tmp}/cluster-create.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
changes=0

elapsed() {
  printf '%s\n' $(($(date +%s) - start))
}

# nodes_file: "ORDINAL IP PORT" per pod, names resolved; fails while one does not resolve.
nodes_file() {
  : >"$work/nodes"
  cluster_pods | while read -r _o _h _p; do
    _ip=$(resolve "$_h") || {
      printf '%s\n' "$_h" >"$work/unresolved"
      return 1
    }
    printf '%s %s %s\n' "$_o" "$_ip" "$_p" >>"$work/nodes"
  done
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

# wait_until WHAT CHECK: bounded (CLUSTER_WAIT_SECONDS since the start) wait until CHECK succeeds.
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
  done
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

# gather: the id and view of every node (views/ORDINAL, ids, id-ORDINAL files).
gather() {
  : >"$work/ids"
  while read -r _o _ip _p; do
    _id=$(redis_cli "$_ip" "$_p" CLUSTER MYID 2>/dev/null | tr -d '\r') || return 1
    [ -n "$_id" ] || return 1
    printf '%s\n' "$_id" >>"$work/ids"
    printf '%s\n' "$_id" >"$work/id-$_o"
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
gather || exit 1
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
gather || exit 1
a=$(anchor)
cluster_plan_ranges >"$work/plan"
awk '$6 ~ /master/ && $6 !~ /fail/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); print b[1], b[2], $1 } }' \
  "$work/view-$a" >"$work/held"
# Slots held by a failed node count as held: moving them is a decision about lost data, left to a person.
awk '$6 ~ /fail/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); print b[1], b[2], $1 } }' \
  "$work/view-$a" >>"$work/held"
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

# ---- 5. free nodes replicate the shards that lack replicas
if [ "$REPLICAS_PER_SHARD" -gt 0 ]; then
  # Slots just assigned take a moment to reach the other nodes' views.
  sleep 1
  gather || exit 1
  a=$(anchor)
  while read -r o ip port; do
    id=$(cat "$work/id-$o")
    awk -v id="$id" '$1 == id && $6 ~ /master/ && $6 !~ /fail/ && $9 == "-" { ok = 1 } END { exit !ok }' "$work/view-$a" || continue
    if ! m=$(cluster_choose_shard "$(cat "$work/view-$a")" "$o"); then
      log "pod $o is a master without slots, and every shard has its $REPLICAS_PER_SHARD replica(s): left as it is"
      continue
    fi
    send "$ip" "$port" "pod $o replicates shard master $m" CLUSTER REPLICATE "$m" || exit 1
    # The anchor's view must show the new replica before the next free node chooses.
    awk -v id="$id" -v m="$m" '$1 == id { $6 = "slave"; $7 = m } { print }' "$work/view-$a" >"$work/view.tmp"
    mv -f "$work/view.tmp" "$work/view-$a"
  done <"$work/nodes"
fi

# ---- 6. ok everywhere
wait_until "cluster_state:ok on all $total nodes" everyone_ok || exit 1
if [ "$changes" -eq 0 ]; then
  log "cluster already formed: nothing to change; cluster_state:ok on all $total nodes"
else
  log "cluster formed after $changes change(s) in $(elapsed)s; cluster_state:ok on all $total nodes"
fi
exit 0
