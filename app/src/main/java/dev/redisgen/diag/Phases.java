package dev.redisgen.diag;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where one run spends its time, phase by phase, for {@code bench/render-bench.sh}: with the environment variable
 * {@code REDISGEN_PHASES=1}, each {@link #mark} records the process CPU time (every thread: the JIT compilers and the
 * GC included) and the wall time since the previous mark, and {@link #report} prints them on stderr as
 * {@code phase NAME CPU_MS WALL_MS} lines. The first mark counts from the start of the process (JVM start). Off, a
 * mark is one test of a constant.
 */
public final class Phases {
    /** The switch. */
    public static final String ENV = "REDISGEN_PHASES";

    private static final boolean ON = "1".equals(System.getenv(ENV));
    private static final StringBuilder LINES = new StringBuilder();
    private static long lastCpu = -1;
    private static long lastWall;

    private Phases() {
    }

    /** Ends the phase {@code name}, which began at the previous mark (or at the process start). */
    public static void mark(String name) {
        if (ON) {
            record(name);
        }
    }

    private static synchronized void record(String name) {
        long cpu = processCpuNanos();
        long wall = System.nanoTime();
        long cpuSpent;
        long wallSpent;
        if (lastCpu < 0) {
            cpuSpent = cpu;
            wallSpent = sinceProcessStartNanos();
        } else {
            cpuSpent = cpu - lastCpu;
            wallSpent = wall - lastWall;
        }
        LINES.append("phase ").append(name).append(' ').append(millis(cpuSpent)).append(' ').append(millis(wallSpent)).append('\n');
        // The cost of reading /proc is charged to the next phase; measured, it is well under a millisecond.
        lastCpu = cpu;
        lastWall = wall;
    }

    /** Prints the marks so far (nothing when off). */
    public static void report(PrintStream err) {
        if (ON) {
            synchronized (Phases.class) {
                err.print(LINES);
                err.flush();
            }
        }
    }

    private static String millis(long nanos) {
        long tenths = Math.round(nanos / 100_000.0);
        return (tenths / 10) + "." + (tenths % 10);
    }

    /** The sum over the process's threads of their time on a CPU ({@code /proc/self/task/N/schedstat}, in ns). */
    private static long processCpuNanos() {
        String[] tasks = new File("/proc/self/task").list();
        long sum = 0;
        if (tasks != null) {
            for (String task : tasks) {
                String stat = read("/proc/self/task/" + task + "/schedstat");
                int space = stat.indexOf(' ');
                if (space > 0) {
                    sum += Long.parseLong(stat.substring(0, space));
                }
            }
        }
        return sum;
    }

    /** From /proc: the uptime now minus the uptime at which this process started (10 ms resolution). */
    private static long sinceProcessStartNanos() {
        String stat = read("/proc/self/stat");
        if (stat.isEmpty()) {
            return 0;
        }
        // Fields after the command name (which may hold spaces) start after the last ')'; starttime is field 22.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long startTicks = Long.parseLong(fields[22 - 3]);
        String uptime = read("/proc/uptime");
        double now = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
        // USER_HZ is 100 on every Linux the JDK runs on.
        return Math.round((now - startTicks / 100.0) * 1e9);
    }

    private static String read(String path) {
        try (InputStream in = new FileInputStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
