#!/usr/bin/env python3
"""Paired timing of a command against a reference command, for bench/render-bench.sh (not a test).

    paired.py RUNS REFERENCE_JSON SUBJECT_JSON [LABEL]

REFERENCE_JSON and SUBJECT_JSON are JSON arrays (argv). Each run times the reference and the subject back to back
(alternating which goes first, so that a drift in the machine's load falls on both), as separate processes, with
stdout discarded. CPU is user + system time of the process and all its children (getrusage, microseconds), wall is
a monotonic clock around the run, peak RSS is the largest resident set of the process tree (ru_maxrss).

Prints one JSON object: medians of the subject and of the reference, the ratio of the medians, and the median of
the per-run ratios (the figure that survives a noisy machine best). With env PHASES=1 the subject's stderr lines
`phase NAME CPU WALL` (REDISGEN_PHASES=1) are collected too, and their medians reported.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run(argv, env, want_stderr):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE if want_stderr else subprocess.DEVNULL, env=env)
    err = proc.stderr.read() if want_stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(err.decode("utf-8", "replace"))
        raise SystemExit(f"{argv}: exit {code}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "rss": usage.ru_maxrss / 1024.0}, err.decode()


def main():
    runs = int(sys.argv[1])
    reference = json.loads(sys.argv[2])
    subject = json.loads(sys.argv[3])
    label = sys.argv[4] if len(sys.argv) > 4 else " ".join(subject)
    phases_on = os.environ.get("PHASES") == "1"
    env = dict(os.environ)
    if phases_on:
        env["REDISGEN_PHASES"] = "1"
    refs, subs, phases = [], [], {}
    for i in range(runs):
        order = [(reference, refs), (subject, subs)] if i % 2 == 0 else [(subject, subs), (reference, refs)]
        for argv, sink in order:
            figures, err = run(argv, env, phases_on and argv is subject)
            sink.append(figures)
            for line in err.splitlines():
                parts = line.split()
                if len(parts) == 4 and parts[0] == "phase":
                    phases.setdefault(parts[1], []).append((float(parts[2]), float(parts[3])))
    out = {"label": label, "runs": runs}
    for key in ("cpu", "wall", "rss"):
        s = statistics.median(f[key] for f in subs)
        r = statistics.median(f[key] for f in refs)
        out[key] = round(s, 4)
        out["ref_" + key] = round(r, 4)
        out[key + "_ratio_of_medians"] = round(s / r, 3) if r else None
        out[key + "_median_ratio"] = round(statistics.median(a[key] / b[key] for a, b in zip(subs, refs) if b[key]), 3)
        # Subject minus reference, run by run: what the command costs beyond starting and stopping a JVM.
        out[key + "_median_excess"] = round(statistics.median(a[key] - b[key] for a, b in zip(subs, refs)), 4)
    if phases:
        out["phases"] = {name: {"cpu_ms": round(statistics.median(v[0] for v in values), 1),
                                "wall_ms": round(statistics.median(v[1] for v in values), 1),
                                "n": len(values)}
                         for name, values in phases.items()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
