package dev.redisgen.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for a slot served by two masters, about every 100 ms: asks every Redis pod for CLUSTER INFO and CLUSTER
 * NODES; a node that reports cluster_state:ok and, in its own view, is a master holding slots claims them. Where
 * two nodes claim the same slot, a probe write to a key of that slot is sent to each: a moment counts when both
 * accept it (a node that claims a slot but refuses writes, as a master paused by a manual failover, serves nobody).
 */
final class ClusterObserver implements Runnable {
    private final Lab lab;
    private final Resp.Login password;
    private final int port;
    private final Map<String, Resp> conns = new HashMap<>();
    private volatile boolean stop;
    private Thread thread;
    private int moments;
    private int maxSlots;
    private final List<String> details = new ArrayList<>();
    private static volatile String[] tags;

    ClusterObserver(Lab lab, Resp.Login password, int port) {
        this.lab = lab;
        this.password = password;
        this.port = port;
    }

    void start() {
        thread = new Thread(this, "drill-cluster-observer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(10_000);
        }
        conns.values().forEach(Resp::close);
        conns.clear();
    }

    /** Moments (polls) when two masters accepted writes to the same slot. */
    synchronized int moments() {
        return moments;
    }

    /** The most slots claimed by two serving masters at once. */
    synchronized int maxDoubleSlots() {
        return maxSlots;
    }

    synchronized List<String> details() {
        return List.copyOf(details);
    }

    @Override
    public void run() {
        boolean inDouble = false;
        while (!stop) {
            long start = System.nanoTime();
            Map<Lab.Pod, BitSet> claims = new HashMap<>();
            for (Lab.Pod p : lab.redisPods) {
                BitSet s = claim(p);
                if (s != null) {
                    claims.put(p, s);
                }
            }
            String found = null;
            int doubled = 0;
            List<Lab.Pod> ps = new ArrayList<>(claims.keySet());
            for (int i = 0; i < ps.size() && found == null; i++) {
                for (int j = i + 1; j < ps.size() && found == null; j++) {
                    BitSet both = (BitSet) claims.get(ps.get(i)).clone();
                    both.and(claims.get(ps.get(j)));
                    if (!both.isEmpty()) {
                        int slot = both.nextSetBit(0);
                        String key = "drill:probe:{" + tag(slot) + "}";
                        if (accepts(ps.get(i), key) && accepts(ps.get(j), key)) {
                            found = ps.get(i).name + "+" + ps.get(j).name + " (" + both.cardinality() + " slots, e.g. " + slot + ")";
                            doubled = both.cardinality();
                        }
                    }
                }
            }
            synchronized (this) {
                if (found != null) {
                    if (!inDouble) {
                        moments++;
                        details.add(found);
                    }
                    maxSlots = Math.max(maxSlots, doubled);
                }
            }
            inDouble = found != null;
            long sleep = 100 - (System.nanoTime() - start) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The slots the pod claims to serve (null: none, or it does not answer or is not in cluster_state:ok). */
    private BitSet claim(Lab.Pod p) {
        try {
            Resp c = conn(p);
            if (!(c.call("CLUSTER", "INFO") instanceof String info) || !info.contains("cluster_state:ok")) {
                return null;
            }
            if (!(c.call("CLUSTER", "NODES") instanceof String nodes)) {
                return null;
            }
            return ClusterNodes.parse(nodes).myself().filter(n -> n.master() && !n.slots().isEmpty()).map(ClusterNodes.Node::slots)
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            close(p);
            return null;
        }
    }

    private boolean accepts(Lab.Pod p, String key) {
        try {
            return "OK".equals(conn(p).call("SET", key, "probe"));
        } catch (IOException | RuntimeException e) {
            close(p);
            return false;
        }
    }

    private Resp conn(Lab.Pod p) throws IOException {
        String k = p.name + "@" + p.ip;
        Resp c = conns.get(k);
        if (c == null) {
            c = Resp.connect(p.ip, port, password, 200);
            conns.put(k, c);
        }
        return c;
    }

    private void close(Lab.Pod p) {
        Resp c = conns.remove(p.name + "@" + p.ip);
        if (c != null) {
            c.close();
        }
    }

    /** A hash tag whose slot is SLOT (computed once for all slots). */
    static String tag(int slot) {
        String[] t = tags;
        if (t == null) {
            t = new String[ClusterNodes.SLOTS];
            int left = ClusterNodes.SLOTS;
            for (long i = 0; left > 0; i++) {
                String s = Long.toString(i, 36);
                int k = ClusterNodes.slot(s);
                if (t[k] == null) {
                    t[k] = s;
                    left--;
                }
            }
            tags = t;
        }
        return t[slot];
    }
}
