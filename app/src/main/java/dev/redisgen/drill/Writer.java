package dev.redisgen.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A Sentinel-aware client that writes numbered keys all the time: finds the master through the
 * Sentinels (majority of the answers), writes {@code SET <prefix>:<n> <n>}, and after every
 * {@value #WAIT_EVERY}th write sends {@code WAIT 1 <ms>}. A write is acknowledged when SET answered
 * OK, confirmed when a later WAIT on the same connection answered >= 1 (WAIT covers every earlier
 * write of the connection). On any error it re-discovers the master.
 */
final class Writer implements Runnable {
    static final int WAIT_EVERY = 10;
    static final int WAIT_TIMEOUT_MILLIS = 1000;

    /** One acknowledged write: its number, when it was acknowledged, by which pod (IP). */
    static final class Ack {
        final long n;
        final long nanos;
        final String ip;
        volatile boolean confirmed;

        Ack(long n, long nanos, String ip) {
            this.n = n;
            this.nanos = nanos;
            this.ip = ip;
        }
    }

    private final Lab lab;
    private final String prefix;
    private final Resp.Login redisPassword;
    private final Resp.Login sentinelPassword;
    private final List<Ack> acks = new ArrayList<>();
    private volatile boolean stop;
    private Thread thread;
    private long attempts;

    /** A plain client of the proxy pod (null: a Sentinel-aware client) and the proxy's write port. */
    private final Lab.Pod proxy;
    private final int proxyPort;
    private long readonly;
    /** Socket timeout of every call but WAIT, and WAIT's own timeout. */
    private final int timeoutMillis;
    private final int waitMillis;
    /** The connection in use, closed by stop() so that a call blocked on a frozen master ends. */
    private volatile Resp conn;

    /** A Sentinel-aware client: asks the Sentinels for the master, checks ROLE, writes there. */
    Writer(Lab lab, String prefix, Resp.Login redisPassword, Resp.Login sentinelPassword) {
        this(lab, prefix, redisPassword, sentinelPassword, null, 0, 500, WAIT_TIMEOUT_MILLIS);
    }

    /** A plain client that writes through the proxy pod's write port and trusts it. */
    static Writer viaProxy(Lab lab, String prefix, Resp.Login redisPassword, Lab.Pod proxy, int port) {
        return new Writer(lab, prefix, redisPassword, null, proxy, port, 500, WAIT_TIMEOUT_MILLIS);
    }

    /**
     * A Sentinel-aware client with long timeouts (60 s per call, WAIT 1 5000), as redis-py and most clients have by
     * default: it keeps its master connection through a stall instead of dropping it after 500 ms, so the writes it
     * queued on a frozen master are answered by that master when it resumes.
     */
    static Writer pinned(Lab lab, String prefix, Resp.Login redisPassword, Resp.Login sentinelPassword) {
        return new Writer(lab, prefix, redisPassword, sentinelPassword, null, 0, 60_000, 5_000);
    }

    private Writer(Lab lab, String prefix, Resp.Login redisPassword, Resp.Login sentinelPassword, Lab.Pod proxy, int proxyPort,
                   int timeoutMillis, int waitMillis) {
        this.lab = lab;
        this.prefix = prefix;
        this.redisPassword = redisPassword;
        this.sentinelPassword = sentinelPassword;
        this.proxy = proxy;
        this.proxyPort = proxyPort;
        this.timeoutMillis = timeoutMillis;
        this.waitMillis = waitMillis;
    }

    /** Writes answered READONLY (a proxy that sent them to a replica). */
    synchronized long readonlyErrors() {
        return readonly;
    }

    void start() {
        thread = new Thread(this, "drill-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stop = true;
        Resp c = conn;
        if (c != null && timeoutMillis > 1000) {
            c.close();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    synchronized long attempts() {
        return attempts;
    }

    /** The first write acknowledged after {@code sinceNanos} by a pod other than {@code notIp} (null: any). */
    synchronized Ack firstAckAfter(long sinceNanos, String notIp) {
        for (Ack a : acks) {
            if (a.nanos > sinceNanos && (notIp == null || !a.ip.equals(notIp))) {
                return a;
            }
        }
        return null;
    }

    /** The longest time between fromNanos and toNanos in which no write was acknowledged, in seconds. */
    synchronized double longestGapSeconds(long fromNanos, long toNanos) {
        long last = fromNanos;
        long gap = 0;
        for (Ack a : acks) {
            if (a.nanos > fromNanos && a.nanos <= toNanos) {
                gap = Math.max(gap, a.nanos - last);
                last = a.nanos;
            }
        }
        return Math.max(gap, toNanos - last) / 1e9;
    }

    /** The master as a Sentinel-aware client sees it: the address most Sentinels name (IP), or null. */
    static String discover(Lab lab, Resp.Login sentinelPassword) {
        Map<String, Integer> votes = new TreeMap<>();
        for (Lab.Pod s : lab.sentinelPods) {
            Object r = Resp.once(s.ip, lab.group.sentinelPort(), sentinelPassword, 300,
                    "SENTINEL", "get-master-addr-by-name", lab.group.masterName());
            if (r instanceof List<?> l && l.size() == 2) {
                votes.merge(lab.ipOf(String.valueOf(l.get(0))), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    @Override
    public void run() {
        long n = 0;
        String ip = null;
        List<Ack> pending = new ArrayList<>();
        while (!stop) {
            try {
                if (conn == null && proxy != null) {
                    pending.clear();
                    ip = proxy.ip;
                    conn = Resp.connect(ip, proxyPort, redisPassword, timeoutMillis);
                } else if (conn == null) {
                    pending.clear();
                    ip = discover(lab, sentinelPassword);
                    if (ip == null) {
                        LockSupport.parkNanos(100_000_000L);
                        continue;
                    }
                    conn = Resp.connect(ip, lab.group.redisPort(), redisPassword, timeoutMillis);
                    Object role = conn.call("ROLE");
                    if (!(role instanceof List<?> l) || l.isEmpty() || !"master".equals(l.get(0))) {
                        conn.close();
                        conn = null;
                        LockSupport.parkNanos(100_000_000L);
                        continue;
                    }
                }
                n++;
                synchronized (this) {
                    attempts++;
                }
                Object r = conn.call("SET", prefix + ":" + n, Long.toString(n));
                if (!"OK".equals(r)) {
                    if (String.valueOf(r).contains("READONLY")) {
                        synchronized (this) {
                            readonly++;
                        }
                    }
                    throw new IOException(String.valueOf(r));
                }
                Ack a = new Ack(n, System.nanoTime(), ip);
                synchronized (this) {
                    acks.add(a);
                }
                pending.add(a);
                if (n % WAIT_EVERY == 0) {
                    conn.timeout(Math.max(timeoutMillis, waitMillis + 500));
                    Object w = conn.call("WAIT", "1", Integer.toString(waitMillis));
                    conn.timeout(timeoutMillis);
                    if (w instanceof Long replicas && replicas >= 1) {
                        pending.forEach(p -> p.confirmed = true);
                        pending.clear();
                    }
                }
                LockSupport.parkNanos(2_000_000L);
            } catch (IOException | RuntimeException e) {
                Resp c = conn;
                if (c != null) {
                    c.close();
                }
                conn = null;
                LockSupport.parkNanos(50_000_000L);
            }
        }
        Resp c = conn;
        if (c != null) {
            c.close();
        }
    }

    /** Reads back every acknowledged key from the given master; returns {lost confirmed, lost acknowledged-only}. */
    long[] lost(String masterIp) throws IOException {
        List<Ack> all = acks();
        long lostConfirmed = 0;
        long lostAckOnly = 0;
        try (Resp r = Resp.connect(masterIp, lab.group.redisPort(), redisPassword, 5000)) {
            for (int i = 0; i < all.size(); i += 500) {
                List<Ack> batch = all.subList(i, Math.min(all.size(), i + 500));
                String[] cmd = new String[batch.size() + 1];
                cmd[0] = "MGET";
                for (int j = 0; j < batch.size(); j++) {
                    cmd[j + 1] = prefix + ":" + batch.get(j).n;
                }
                Object reply = r.call(cmd);
                if (!(reply instanceof List<?> values)) {
                    throw new IOException("MGET: " + reply);
                }
                for (int j = 0; j < batch.size(); j++) {
                    Ack a = batch.get(j);
                    if (!Long.toString(a.n).equals(values.get(j))) {
                        if (a.confirmed) {
                            lostConfirmed++;
                        } else {
                            lostAckOnly++;
                        }
                    }
                }
            }
        }
        return new long[] {lostConfirmed, lostAckOnly};
    }
}
