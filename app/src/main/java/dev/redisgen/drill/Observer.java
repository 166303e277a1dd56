package dev.redisgen.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls every Redis pod about every 100 ms with a probe write (a dedicated key) and counts the
 * moments when two or more pods accept writes at once: a split brain that clients could act on. A
 * master cut off from its replicas answers NOREPLICAS (min-replicas-to-write) and does not count.
 */
final class Observer implements Runnable {
    private final Lab lab;
    private final Resp.Login password;
    private final Map<String, Resp> conns = new HashMap<>();
    private volatile boolean stop;
    private Thread thread;
    private int moments;
    private long doubleMillis;
    private final List<String> details = new ArrayList<>();

    Observer(Lab lab, Resp.Login password) {
        this.lab = lab;
        this.password = password;
    }

    void start() {
        thread = new Thread(this, "drill-observer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(10_000);
        }
        conns.values().forEach(Resp::close);
    }

    synchronized int moments() {
        return moments;
    }

    synchronized long doubleMillis() {
        return doubleMillis;
    }

    synchronized List<String> details() {
        return List.copyOf(details);
    }

    @Override
    public void run() {
        boolean inDouble = false;
        long tick = 0;
        while (!stop) {
            long start = System.nanoTime();
            List<String> accepting = new ArrayList<>();
            for (Lab.Pod p : lab.redisPods) {
                if (accepts(p, tick)) {
                    accepting.add(p.name);
                }
            }
            synchronized (this) {
                if (accepting.size() >= 2) {
                    if (!inDouble) {
                        moments++;
                        details.add(String.join("+", accepting));
                    }
                    doubleMillis += 100;
                }
            }
            inDouble = accepting.size() >= 2;
            tick++;
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

    private boolean accepts(Lab.Pod p, long tick) {
        try {
            Resp c = conns.get(p.name);
            if (c == null) {
                c = Resp.connect(p.ip, lab.group.redisPort(), password, 200);
                conns.put(p.name, c);
            }
            return "OK".equals(c.call("SET", "drill:probe:" + p.name, Long.toString(tick)));
        } catch (IOException | RuntimeException e) {
            Resp c = conns.remove(p.name);
            if (c != null) {
                c.close();
            }
            return false;
        }
    }
}
