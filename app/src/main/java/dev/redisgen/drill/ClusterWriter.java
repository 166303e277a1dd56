package dev.redisgen.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster-aware client that writes numbered keys all the time ({@code SET <prefix>:<n> <n>}, the keys spread over
 * every slot), the way a Redis Cluster client does: a slot map from CLUSTER NODES of a node that reports
 * cluster_state:ok, one connection per master, MOVED followed (the slot's owner updated) and ASK followed (ASKING,
 * once). After every {@value #WAIT_EVERY}th write it sends {@code WAIT 1 <ms>} on that write's connection: the
 * connection's earlier acknowledged writes are confirmed when it answers >= 1. On any other error (CLUSTERDOWN,
 * a refused or timed-out connection) it drops the connection and reloads the slot map.
 */
final class ClusterWriter implements Runnable {
    static final int WAIT_EVERY = 10;
    static final int WAIT_TIMEOUT_MILLIS = 1000;
    static final int TIMEOUT_MILLIS = 500;

    /** One acknowledged write: its number, slot, when it was acknowledged and by which pod (IP). */
    static final class Ack {
        final long n;
        final int slot;
        final long nanos;
        final String ip;
        volatile boolean confirmed;

        Ack(long n, int slot, long nanos, String ip) {
            this.n = n;
            this.slot = slot;
            this.nanos = nanos;
            this.ip = ip;
        }
    }

    private final Lab lab;
    private final String prefix;
    private final Resp.Login password;
    private final int port;
    private final List<Ack> acks = new ArrayList<>();
    private final Map<String, Resp> conns = new HashMap<>();
    private final Map<String, List<Ack>> pending = new HashMap<>();
    /** The owner (IP) of every slot as this client knows it (null: unknown). */
    private final String[] owner = new String[ClusterNodes.SLOTS];
    private volatile boolean stop;
    private Thread thread;
    private long errors;
    private long redirects;
    private int nextView;

    ClusterWriter(Lab lab, String prefix, Resp.Login password, int port) {
        this.lab = lab;
        this.prefix = prefix;
        this.password = password;
        this.port = port;
    }

    void start() {
        thread = new Thread(this, "drill-cluster-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(10_000);
        }
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Writes that failed (an error reply other than a redirection, or a connection error). */
    synchronized long errors() {
        return errors;
    }

    synchronized long redirects() {
        return redirects;
    }

    /** The first write in SLOTS acknowledged after sinceNanos by a pod other than notIp (null: any pod). */
    synchronized Ack firstAckAfter(long sinceNanos, BitSet slots, String notIp) {
        for (Ack a : acks) {
            if (a.nanos > sinceNanos && slots.get(a.slot) && (notIp == null || !a.ip.equals(notIp))) {
                return a;
            }
        }
        return null;
    }

    /** The last write acknowledged by IP (null: none). */
    synchronized Ack lastAckBy(String ip) {
        for (int i = acks.size() - 1; i >= 0; i--) {
            if (acks.get(i).ip.equals(ip)) {
                return acks.get(i);
            }
        }
        return null;
    }

    /** The longest time between fromNanos and toNanos in which no write to a slot of SLOTS was acknowledged, in seconds. */
    synchronized double longestGapSeconds(long fromNanos, long toNanos, BitSet slots) {
        long last = fromNanos;
        long gap = 0;
        for (Ack a : acks) {
            if (a.nanos > fromNanos && a.nanos <= toNanos && slots.get(a.slot)) {
                gap = Math.max(gap, a.nanos - last);
                last = a.nanos;
            }
        }
        return Math.max(gap, toNanos - last) / 1e9;
    }

    @Override
    public void run() {
        long n = 0;
        boolean reload = true;
        while (!stop) {
            if (reload) {
                reload = !loadSlots();
                if (reload) {
                    LockSupport.parkNanos(100_000_000L);
                    continue;
                }
            }
            n++;
            String key = prefix + ":" + n;
            int slot = ClusterNodes.slot(key);
            String ip = owner[slot];
            if (ip == null) {
                reload = true;
                continue;
            }
            try {
                boolean asking = false;
                Object r = null;
                for (int hop = 0; hop < 3; hop++) {
                    Resp c = conn(ip);
                    if (asking) {
                        c.call("ASKING");
                    }
                    r = c.call("SET", key, Long.toString(n));
                    if (r instanceof Resp.Error e && (e.message().startsWith("MOVED ") || e.message().startsWith("ASK "))) {
                        String[] f = e.message().split(" ");
                        String target = lab.ipOf(f[2].substring(0, f[2].lastIndexOf(':')));
                        synchronized (this) {
                            redirects++;
                        }
                        asking = f[0].equals("ASK");
                        if (!asking) {
                            owner[Integer.parseInt(f[1])] = target;
                        }
                        ip = target;
                        continue;
                    }
                    break;
                }
                if (!"OK".equals(r)) {
                    throw new IOException(String.valueOf(r));
                }
                Ack a = new Ack(n, slot, System.nanoTime(), ip);
                synchronized (this) {
                    acks.add(a);
                }
                List<Ack> mine = pending.computeIfAbsent(ip, k -> new ArrayList<>());
                mine.add(a);
                if (n % WAIT_EVERY == 0) {
                    Resp c = conn(ip);
                    c.timeout(WAIT_TIMEOUT_MILLIS + 500);
                    Object w = c.call("WAIT", "1", Integer.toString(WAIT_TIMEOUT_MILLIS));
                    c.timeout(TIMEOUT_MILLIS);
                    if (w instanceof Long replicas && replicas >= 1) {
                        mine.forEach(p -> p.confirmed = true);
                        mine.clear();
                    }
                }
                LockSupport.parkNanos(2_000_000L);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    errors++;
                }
                drop(ip);
                reload = true;
                LockSupport.parkNanos(20_000_000L);
            }
        }
        for (String ip : List.copyOf(conns.keySet())) {
            drop(ip);
        }
    }

    private Resp conn(String ip) throws IOException {
        Resp c = conns.get(ip);
        if (c == null) {
            c = Resp.connect(ip, port, password, TIMEOUT_MILLIS);
            conns.put(ip, c);
        }
        return c;
    }

    /** Closes the connection to IP; its writes not confirmed yet stay unconfirmed (a WAIT covers one connection). */
    private void drop(String ip) {
        Resp c = conns.remove(ip);
        if (c != null) {
            c.close();
        }
        pending.remove(ip);
    }

    /** The slot map from the next node (round robin) that reports cluster_state:ok; false when none does. */
    private boolean loadSlots() {
        List<Lab.Pod> pods = lab.redisPods;
        for (int i = 0; i < pods.size(); i++) {
            Lab.Pod p = pods.get(Math.floorMod(nextView++, pods.size()));
            ClusterNodes view = view(p.ip);
            if (view == null) {
                continue;
            }
            java.util.Arrays.fill(owner, null);
            for (ClusterNodes.Node m : view.shardMasters()) {
                if (m.unhealthy()) {
                    continue;
                }
                String ip = m.host().isEmpty() ? m.ip() : lab.ipOf(m.host());
                m.slots().stream().forEach(s -> owner[s] = ip);
            }
            return true;
        }
        return false;
    }

    private ClusterNodes view(String ip) {
        try (Resp r = Resp.connect(ip, port, password, 300)) {
            if (!(r.call("CLUSTER", "INFO") instanceof String info) || !info.contains("cluster_state:ok")) {
                return null;
            }
            return r.call("CLUSTER", "NODES") instanceof String s ? ClusterNodes.parse(s) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads back every acknowledged key from the master that serves its slot now (MOVED followed); returns {lost
     * confirmed, lost acknowledged-only}. A key whose slot no master answers for counts as lost.
     */
    long[] lost() throws IOException {
        List<Ack> all = acks();
        long lostConfirmed = 0;
        long lostAckOnly = 0;
        if (!loadSlots()) {
            throw new IOException("no node reports cluster_state:ok: nothing to read the keys back from");
        }
        Map<String, Resp> readers = new HashMap<>();
        try {
            for (Ack a : all) {
                String key = prefix + ":" + a.n;
                String ip = owner[a.slot];
                Object v = null;
                for (int hop = 0; hop < 3 && ip != null; hop++) {
                    String at = ip;
                    Resp r = readers.get(at);
                    if (r == null) {
                        r = Resp.connect(at, port, password, 5000);
                        readers.put(at, r);
                    }
                    v = r.call("GET", key);
                    if (v instanceof Resp.Error e && e.message().startsWith("MOVED ")) {
                        String target = e.message().split(" ")[2];
                        ip = lab.ipOf(target.substring(0, target.lastIndexOf(':')));
                        continue;
                    }
                    break;
                }
                if (!Long.toString(a.n).equals(v)) {
                    if (a.confirmed) {
                        lostConfirmed++;
                    } else {
                        lostAckOnly++;
                    }
                }
            }
        } finally {
            readers.values().forEach(Resp::close);
        }
        return new long[] {lostConfirmed, lostAckOnly};
    }
}
