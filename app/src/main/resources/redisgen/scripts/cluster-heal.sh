# shellcheck shell=sh
# cluster-heal.sh: started by cluster-start.sh beside redis-server, in every
# Redis Cluster pod; every CLUSTER_HEAL_INTERVAL_SECONDS it looks at this
# node's own CLUSTER NODES and repairs what Redis Cluster does not repair by
# itself, without a person:
#   - addresses: a peer whose name now resolves to another IP than the one in
#     the table (a pod restarted with a new IP; its name resolving only seconds
#     after this node started) is met again at its new IP. Redis updates the
#     known node's address, and a replica re-points its replication at once: no
#     node follows a stale address for longer than about one interval; a
#     replica whose link is down and points elsewhere than its master's
#     address in the table is re-pointed there;
#   - ghosts: a node without slots whose address now answers as another node
#     (a pod that came back with an empty volume has a new node id) is
#     forgotten; a replica whose master was so replaced takes over its slots
#     (Redis stops pinging such a node, so it never fails over by itself);
#   - removed pods: a node flagged fail, without slots, whose name no longer
#     resolves and is none of the StatefulSet's pods (a scale in) is forgotten
#     on every node after CLUSTER_GHOST_SECONDS;
#   - membership: a node that knows only itself (it came back empty) while the
#     other pods form a cluster meets them, and a node without slots that is no
#     replica becomes the replica of a shard that lacks one (its own shard by
#     ordinal first), after CLUSTER_HEAL_GRACE_SECONDS so that the creation Job
#     places the nodes of a new cluster first;
#   - the write fence (every second): redis.conf's min-replicas-to-write
#     stops a master cut off from its replicas from taking writes before the
#     majority promotes one of them (split brain). Where none of them can take
#     over (the master knows no replica, or the cluster flags every one of
#     them fail: a majority of masters saw them down, so this node is not the
#     cut-off one) the fence is lifted, and it is put back once a replica has
#     been linked (lag within min-replicas-max-lag) for CLUSTER_FENCE_REARM_SECONDS
#     in a row: cluster-prestop.sh lifts it on the master of a replica that
#     stops gracefully, and that replica stays linked until it stops.
# Ends with redis-server (HEAL_PARENT, set by cluster-start.sh); errors are
# logged and retried.
set -u
LOG_TAG=cluster-heal
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"
SHARDS="${SHARDS:-3}"
REPLICAS_PER_SHARD="${REPLICAS_PER_SHARD:-1}"
INTERVAL="${CLUSTER_HEAL_INTERVAL_SECONDS:-5}"
GRACE="${CLUSTER_HEAL_GRACE_SECONDS:-30}"
me=$(ordinal)
free_since=""
gone_seen=""
FENCE=$(rendered_min_replicas)
REARM="${CLUSTER_FENCE_REARM_SECONDS:-5}"
good_since=""
ghosts=""
GHOST_SECONDS="${CLUSTER_GHOST_SECONDS:-60}"
MAX_LAG=$(awk '$1 == "min-replicas-max-lag" { v = $2 } END { print (v == "" ? 10 : v) }' "$CONFIG_DIR/redis.conf" 2>/dev/null || printf '10\n')

# heal_addresses VIEW: meet peers at the address their name resolves to now; forget ghosts; a replica
# whose master's address answers as another node fails over.
heal_addresses() {
  # Read from a here-document, not a pipe: master_gone keeps state in this shell.
  while read -r _id _ip _port _cport _host _flags _master _link _slots; do
    if [ -z "$_id" ] || [ "$_host" = - ]; then continue; fi
    if ! _new=$(resolve "$_host"); then
      removed_pod "$_id" "$_host" "$_flags" "$_slots"
      continue
    fi
    case "$_flags" in
      *noaddr*)
        # Redis flags a node noaddr when its address answered with another node id, and then stops
        # pinging it: it is never marked failing, so its replica is never promoted by itself.
        # The table lost its port too (":0@0"): every pod listens on REDIS_PORT.
        [ "$_port" != 0 ] || _port=$REDIS_PORT
        [ "$_cport" != 0 ] || _cport=$((REDIS_PORT + 10000))
        _there=$(redis_cli "$_new" "$_port" CLUSTER MYID </dev/null 2>/dev/null | tr -d '\r')
        if [ -z "$_there" ]; then
          continue
        elif [ "$_there" = "$_id" ]; then
          meet "$_new" "$_port" "$_cport" "$_host ($_id) answers at $_new"
        elif [ "$_slots" = - ]; then
          [ "$_id" = "$my_master" ] || forget "$_id" "$_host ($_new) answers as node $_there and it held no slots"
        elif [ "$_id" = "$my_master" ]; then
          master_gone "$_host ($_new) answers as node $_there"
        fi
        continue
        ;;
    esac
    [ "$_new" != "$_ip" ] || continue
    _holder=$(printf '%s\n' "$1" | awk -v ip="$_new" -v port="$_port" -v id="$_id" \
      '$2 == ip && $3 == port && $1 != id && $6 !~ /fail|noaddr|handshake/ { print $1; exit }')
    if [ -n "$_holder" ]; then
      case "$_flags" in
        *fail*) [ "$_id" = "$my_master" ] || [ "$_slots" != - ] || forget "$_id" "$_host ($_new) is now node $_holder" ;;
      esac
      continue
    fi
    meet "$_new" "$_port" "$_cport" "$_host ($_id) resolves to $_new, the table says $_ip"
  done <<EOF_VIEW
$(printf '%s\n' "$1" | awk '$6 !~ /myself|handshake/')
EOF_VIEW
}

# removed_pod ID HOST FLAGS SLOTS: a node whose name no longer resolves, that is none of the StatefulSet's pods
# (SHARDS x (1 + REPLICAS_PER_SHARD)), holds no slot and is flagged fail by the cluster for
# CLUSTER_GHOST_SECONDS in a row is a pod removed by a scale in: forgotten on every node. (A pod being
# recreated under the same name is one of the pods, and resolves again within seconds.)
removed_pod() {
  _rid=$1
  case ",$3," in *,fail,*) ;; *) return 0 ;; esac
  [ "$4" = - ] || return 0
  if cluster_pods | awk -v h="$2" '$2 == h { f = 1 } END { exit !f }'; then
    return 0
  fi
  _rnow=$(date +%s)
  _rsince=$(printf '%s\n' "$ghosts" | awk -v id="$_rid" -F= '$1 == id { print $2 }')
  if [ -z "$_rsince" ]; then
    ghosts=$(printf '%s\n%s=%s\n' "$ghosts" "$_rid" "$_rnow" | awk 'NF')
    return 0
  fi
  [ $((_rnow - _rsince)) -ge "$GHOST_SECONDS" ] || return 0
  ghosts=$(printf '%s\n' "$ghosts" | awk -v id="$_rid" -F= '$1 != id')
  forget "$_rid" "$2 is no pod of the StatefulSet any more (scaled in), its name does not resolve and the cluster flags it fail"
}

# repoint_replication VIEW: a replica whose replication link is down and connects to another address than the
# one its master has in the table is re-pointed there (CLUSTER REPLICATE of the same master). Gossip can move a
# failing master's address in the table without re-pointing replication (Redis 7.0 does so only when the master's
# own PING brings the new address, and that PING then sees no change): after a full restart in which the master's
# name resolved last, its replica kept connecting to the old IP for good (found by redisgen drill, scenario reboot).
repoint_replication() {
  _mip=$(printf '%s\n' "$1" | awk -v m="$my_master" '$1 == m && $6 !~ /fail|noaddr|handshake/ { print $2 }')
  [ -n "$_mip" ] || return 0
  _repl=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication </dev/null 2>/dev/null | tr -d '\r')
  _rhost=$(printf '%s\n' "$_repl" | awk -F: '$1 == "master_host" { print $2 }')
  _rlink=$(printf '%s\n' "$_repl" | awk -F: '$1 == "master_link_status" { print $2 }')
  if [ -z "$_rhost" ] || [ "$_rhost" = "$_mip" ] || [ "$_rlink" = up ]; then
    return 0
  fi
  log "replicating from $_rhost (link $_rlink), but master $my_master is at $_mip: CLUSTER REPLICATE $my_master"
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLUSTER REPLICATE "$my_master" </dev/null >/dev/null 2>&1 ||
    log "CLUSTER REPLICATE $my_master failed"
}

# meet IP PORT CPORT WHY: CLUSTER MEET a known node at its current address; Redis updates the address
# it has for the node, and a replica of it re-points its replication.
meet() {
  log "$4: meeting it there"
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLUSTER MEET "$1" "$2" "$3" </dev/null >/dev/null 2>&1 ||
    log "CLUSTER MEET $1 $2 $3 failed"
}

# master_gone WHY: this replica's master was replaced by another node at its address; seen twice in a row,
# the replica takes its slots over (FORCE: the master cannot agree, a majority of masters still votes).
master_gone() {
  if [ "$gone_seen" != "$my_master" ]; then
    gone_seen=$my_master
    log "master $my_master looks replaced: $1"
    return 0
  fi
  log "master $my_master is gone ($1): CLUSTER FAILOVER FORCE"
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLUSTER FAILOVER FORCE </dev/null >/dev/null 2>&1 || log "CLUSTER FAILOVER FORCE failed"
}

# forget ID WHY: drop a replaced node from this node's table and from the table of every node it knows
# (global view): CLUSTER FORGET bans the id on a node for 60 s only, and any node that still knows it then
# gossips it back to the others. A node that came back empty learns the ghost by gossip without its
# hostname, so its own healer cannot tell it is a ghost (found by redisgen drill, volume-wipe: 13 nodes
# known of 12). Nodes that answer "Unknown node" forgot it already.
forget() {
  log "forgetting node $1 on every node: $2"
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLUSTER FORGET "$1" </dev/null >/dev/null 2>&1 || log "CLUSTER FORGET $1 failed"
  printf '%s\n' "$view" | awk -v g="$1" '$1 != g && $6 !~ /myself|fail|noaddr|handshake/ && $2 != "-" { print $2, $3 }' |
    while read -r _fip _fport; do
      _fout=$(redis_cli "$_fip" "$_fport" CLUSTER FORGET "$1" </dev/null 2>&1 | tr -d '\r')
      case "$_fout" in
        OK | *Unknown* | *"my master"*) ;;
        *) log "CLUSTER FORGET $1 on $_fip:$_fport: $(printf '%s' "$_fout" | tr '\n' ' ')" ;;
      esac
    done
}

# join_cluster: a node that knows only itself meets the first pod that is part of a cluster with slots.
join_cluster() {
  cluster_pods | while read -r _o _h _p; do
    [ "$_o" != "$me" ] || continue
    _ip=$(resolve "$_h") || continue
    _assigned=$(cluster_info_field "$_ip" "$_p" cluster_slots_assigned)
    [ "${_assigned:-0}" -gt 0 ] || continue
    _bus=$(cluster_view "$_ip" "$_p" | awk '$6 ~ /myself/ { print $4 }')
    log "this node knows only itself and $_h ($_ip) is in a cluster with $_assigned slots: meeting it"
    redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLUSTER MEET "$_ip" "$_p" "${_bus:-$((_p + 10000))}" >/dev/null 2>&1 ||
      log "CLUSTER MEET $_ip $_p failed"
    return 0
  done
}

# take_replica_role: a free node (master, no slots) replicates a shard that lacks a replica. The choice is
# made on a view read just now, not on the tick's: the creation Job may have made this node a replica, or
# given the shard its replica, while the tick looked at addresses (a CI run: a node the Job had placed as
# shard 2's replica moved itself to shard 3, seen free in a view a moment old that did not hold shard 2's
# slots yet; shard 2 was left without one).
take_replica_role() {
  _tv=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
  # Only on a view that holds all 16384 slots: shards are told apart by their order of first slot, and a shard
  # whose slots this node has not heard of yet would shift the others' places.
  printf '%s\n' "$_tv" | awk '$6 ~ /myself/ && $6 ~ /master/ && $9 == "-" { ok = 1 }
    $6 ~ /master/ && $9 != "-" { n = split($9, r, ","); for (i = 1; i <= n; i++) { split(r[i], b, "-"); s += b[2] - b[1] + 1 } }
    END { exit !(ok && s == 16384) }' || return 0
  # And only on a view that lists as many nodes as the StatefulSet has pods, none in a handshake, with the master of
  # every replica not failing: a node that has just met the cluster (a surplus replica the creation Job reset into a
  # new shard's master) hears of the others by gossip before it hears their roles, and a replica whose master it
  # does not know yet makes that shard look short of one (a live test: the reset node replicated shard 0 three
  # seconds after it met the cluster, and the Job found no master for the new shard). A failing replica's master may
  # stay unknown: a node gone for good (a ghost) never tells it.
  printf '%s\n' "$_tv" | awk -v want=$((SHARDS * (1 + REPLICAS_PER_SHARD))) '
    $6 ~ /handshake|noaddr/ || ($6 ~ /slave/ && $6 !~ /fail/ && $7 == "-") { bad = 1 } END { exit !(NR >= want && !bad) }' || return 0
  # Never a master with replicas of its own: the creation Job chose it for a new shard's master and gave it its
  # replicas before its slots (a drill scale out under load: pod 12, given pods 13 and 14, replicated a shard whose
  # replica the roll had just restarted; pod 12 became its master's third replica, 13 and 14 replicas of a replica,
  # and eleven Job runs ended with 4 masters holding slots, 5 wanted). Its own replication says so first: the
  # cluster view learns a new replica from that replica's next ping.
  printf '%s\n' "$_tv" | awk '$6 ~ /myself/ { me = $1 } { m[NR] = $7 } END { for (i = 1; i <= NR; i++) if (m[i] == me) exit 1 }' || return 0
  case "$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication </dev/null 2>/dev/null | tr -d '\r' | sed -n 's/^connected_slaves://p')" in
    0) ;;
    *) return 0 ;;
  esac
  if ! _m=$(cluster_choose_shard "$_tv" "$me"); then
    return 0
  fi
  log "this node has no slots and no master; shard master $_m lacks a replica: replicating it"
  _out=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CLUSTER REPLICATE "$_m" 2>&1) ||
    log "CLUSTER REPLICATE $_m failed: $(printf '%s' "$_out" | tr -d '\r' | tr '\n' ' ')"
}

# fence: the write fence of a master fitted to its replicas, every second (see the head of this file).
# Lifted only on this node's own CLUSTER NODES flags: a replica is flagged fail (not fail?, this node's
# own suspicion) only on the failure reports of a majority of masters, which a cut-off node cannot get.
fence() {
  [ "$FENCE" -gt 0 ] || return 0
  _repl=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" INFO replication </dev/null 2>/dev/null) || return 0
  case "$_repl" in
    *role:master*) ;;
    *)
      good_since=""
      return 0
      ;;
  esac
  _good=$(printf '%s\n' "$_repl" | tr -d '\r' | awk -v max="$MAX_LAG" '
    /^slave[0-9]+:/ { s = $0; sub(/^[^:]*:/, "", s); n = split(s, kv, ",")
      st = ""; lag = 999999
      for (i = 1; i <= n; i++) { split(kv[i], p, "="); if (p[1] == "state") st = p[2]; if (p[1] == "lag") lag = p[2] + 0 }
      if (st == "online" && lag <= max) g++ }
    END { print g + 0 }')
  if [ "$_good" -gt 0 ]; then
    # Linked: looked at once, when the replica has been linked for REARM seconds (the steady state costs
    # one INFO a second); a fence lifted meanwhile by a stopping replica's preStop is kept until it is gone.
    _t=$(date +%s)
    if [ -z "$good_since" ]; then
      good_since=$_t
      return 0
    fi
    [ "$good_since" != looked ] && [ $((_t - good_since)) -ge "$REARM" ] || return 0
    good_since=looked
    _want=$FENCE
    _why="a replica linked for ${REARM}s"
  else
    good_since=""
    _fview=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || return 0
    _myid=$(printf '%s\n' "$_fview" | awk '$6 ~ /myself/ { print $1 }')
    # Replicas of this master that could take over: any not flagged fail (fail? included: only suspected).
    _able=$(printf '%s\n' "$_fview" | awk -v m="$_myid" '$7 == m && ("," $6 ",") !~ /,fail,/ { n++ } END { print n + 0 }')
    [ "$_able" -eq 0 ] || return 0
    _want=0
    _why="no replica of this master can take over (none known, or every one flagged fail by the cluster)"
  fi
  _now=$(redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG GET min-replicas-to-write </dev/null 2>/dev/null | tr -d '\r' | sed -n 2p)
  [ -n "$_now" ] && [ "$_now" != "$_want" ] || return 0
  log "$_why: CONFIG SET min-replicas-to-write $_want"
  redis_cli "$LOCAL_REDIS_HOST" "$REDIS_PORT" CONFIG SET min-replicas-to-write "$_want" </dev/null >/dev/null 2>&1 ||
    log "CONFIG SET min-replicas-to-write $_want failed"
}

tick=0
while :; do
  sleep 1
  if [ -n "${HEAL_PARENT:-}" ] && ! kill -0 "$HEAL_PARENT" 2>/dev/null; then
    exit 0
  fi
  fence
  tick=$((tick + 1))
  [ "$tick" -ge "$INTERVAL" ] || continue
  tick=0
  view=$(cluster_view "$LOCAL_REDIS_HOST" "$REDIS_PORT") || continue
  [ -n "$view" ] || continue
  my_master=$(printf '%s\n' "$view" | awk '$6 ~ /myself/ { print $7 }')
  heal_addresses "$view"
  mine=$(printf '%s\n' "$view" | awk '$6 ~ /myself/')
  case "$mine" in
    *slave*)
      free_since=""
      repoint_replication "$view"
      continue
      ;;
  esac
  if [ "$(printf '%s\n' "$mine" | awk '{ print $9 }')" != - ] || [ "$REPLICAS_PER_SHARD" -eq 0 ]; then
    free_since=""
    continue
  fi
  # A master without slots: alone (came back empty, or a new cluster's first seconds) or a free member.
  if [ "$(printf '%s\n' "$view" | awk 'END { print NR }')" -le 1 ]; then
    join_cluster
    continue
  fi
  now=$(date +%s)
  [ -n "$free_since" ] || free_since=$now
  if [ $((now - free_since)) -ge "$GRACE" ]; then
    take_replica_role
  fi
done
