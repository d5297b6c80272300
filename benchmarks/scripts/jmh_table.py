#!/usr/bin/env python3
"""Turns a JMH JSON result (bin/bench -rf json) into the Markdown tables of docs/benchmarks.md.

Usage: benchmarks/scripts/jmh_table.py RESULT.json
       benchmarks/scripts/jmh_table.py --summary RUN1.json RUN2.json ...   (speed ratios, one column per run)

Each row pairs an eventloop4j benchmark with its Netty (or JDK) peer from the same run. Ratios are
eventloop4j / peer: for throughput (ops/s) above 1 means eventloop4j is faster, for latency (ns/op) below 1 means
eventloop4j is faster. The +- on a ratio of means combines the two JMH 99.9% error bars (relative errors in
quadrature). The ratio of medians uses the median over all measurement iterations (p50 for sample-mode latency),
which a few iterations starved of CPU by other processes move much less than the mean.
"""
import json
import math
import sys

PKG = "org.eventloop4j.benchmarks."

# (section, row label, eventloop4j benchmark, peer benchmark, params filter)
ROWS = [
    ("Cross-thread execute, 1 producer", "park vs Netty NIO", "CrossThreadExecuteBenchmark.p1_eventloop4j", "CrossThreadExecuteBenchmark.p1_nettyNio", None),
    ("Cross-thread execute, 1 producer", "selector vs Netty NIO", "CrossThreadExecuteBenchmark.p1_eventloop4jSelector", "CrossThreadExecuteBenchmark.p1_nettyNio", None),
    ("Cross-thread execute, 1 producer", "epoll vs Netty epoll", "CrossThreadExecuteBenchmark.p1_eventloop4jEpoll", "CrossThreadExecuteBenchmark.p1_nettyEpoll", None),
    ("Cross-thread execute, 1 producer", "park vs Netty DefaultEventLoop", "CrossThreadExecuteBenchmark.p1_eventloop4j", "CrossThreadExecuteBenchmark.p1_nettyDefault", None),
    ("Cross-thread execute, 2 producers", "park vs Netty NIO", "CrossThreadExecuteBenchmark.p2_eventloop4j", "CrossThreadExecuteBenchmark.p2_nettyNio", None),
    ("Cross-thread execute, 2 producers", "selector vs Netty NIO", "CrossThreadExecuteBenchmark.p2_eventloop4jSelector", "CrossThreadExecuteBenchmark.p2_nettyNio", None),
    ("Cross-thread execute, 2 producers", "epoll vs Netty epoll", "CrossThreadExecuteBenchmark.p2_eventloop4jEpoll", "CrossThreadExecuteBenchmark.p2_nettyEpoll", None),
    ("Cross-thread execute, 2 producers", "park vs Netty DefaultEventLoop", "CrossThreadExecuteBenchmark.p2_eventloop4j", "CrossThreadExecuteBenchmark.p2_nettyDefault", None),
    ("Loop-thread execute chain", "vs Netty NIO", "LoopThreadExecuteBenchmark.eventloop4j", "LoopThreadExecuteBenchmark.nettyNio", None),
    ("Loop-thread execute chain", "vs Netty DefaultEventLoop", "LoopThreadExecuteBenchmark.eventloop4j", "LoopThreadExecuteBenchmark.nettyDefault", None),
    ("queueMicrotask chain (Netty: execute chain)", "vs Netty NIO execute", "MicrotaskBenchmark.eventloop4j", "MicrotaskBenchmark.nettyNioExecute", None),
    ("setImmediate chain (Netty: execute chain)", "vs Netty NIO execute", "ImmediateBenchmark.eventloop4j", "ImmediateBenchmark.nettyNioExecute", None),
    ("setTimeout+clearTimeout vs schedule+cancel(false)", "0 other timers", "TimerBenchmark.eventloop4j", "TimerBenchmark.nettyNio", {"background": "0"}),
    ("setTimeout+clearTimeout vs schedule+cancel(false)", "1000 other timers", "TimerBenchmark.eventloop4j", "TimerBenchmark.nettyNio", {"background": "1000"}),
    ("Promise then chain (per link)", "vs Netty DefaultPromise.addListener", "PromiseThenBenchmark.eventloop4j", "PromiseThenBenchmark.nettyNio", None),
    ("Promise then chain (per link)", "vs CompletableFuture.thenApply", "PromiseThenBenchmark.eventloop4j", "PromiseThenBenchmark.completableFuture", None),
    ("Ping-pong round trip (latency)", "park vs Netty NIO", "PingPongBenchmark.eventloop4j", "PingPongBenchmark.nettyNio", None),
    ("Ping-pong round trip (latency)", "selector vs Netty NIO", "PingPongBenchmark.eventloop4jSelector", "PingPongBenchmark.nettyNio", None),
    ("Ping-pong round trip (latency)", "epoll vs Netty epoll", "PingPongBenchmark.eventloop4jEpoll", "PingPongBenchmark.nettyEpoll", None),
    ("Ping-pong round trip (latency)", "park vs Netty DefaultEventLoop", "PingPongBenchmark.eventloop4j", "PingPongBenchmark.nettyDefault", None),
]


def load(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for r in data:
        name = r["benchmark"].replace(PKG, "")
        params = r.get("params") or {}
        key = (name, tuple(sorted(params.items())))
        out[key] = r
    return data, out


def find(results, name, params):
    for (n, p), r in results.items():
        if n != name:
            continue
        if params and any(dict(p).get(k) != v for k, v in params.items()):
            continue
        return r
    return None


def fmt_num(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    ax = abs(x)
    if ax >= 1e6:
        return "%.2fM" % (x / 1e6)
    if ax >= 1e3:
        return "%.1fk" % (x / 1e3)
    if ax >= 10:
        return "%.0f" % x
    return "%.2f" % x


def score(r):
    m = r["primaryMetric"]
    err = m.get("scoreError")
    if err is None or (isinstance(err, str)) or math.isnan(err):
        err = float("nan")
    return m["score"], err, m["scoreUnit"]


def secondary(r, name):
    m = (r.get("secondaryMetrics") or {}).get(name)
    if not m:
        return None, None
    err = m.get("scoreError")
    if err is None or isinstance(err, str) or (isinstance(err, float) and math.isnan(err)):
        err = None
    return m["score"], err


def iterations(r):
    """All measurement iteration scores (every fork), for the median and range."""
    raw = r["primaryMetric"].get("rawData") or []
    return sorted(x for fork in raw for x in fork)


def median(xs):
    n = len(xs)
    if n == 0:
        return float("nan")
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def spread(r):
    """Median [min-max] over iterations (and each fork's median), or p50 and p99 for sample-mode latency."""
    m = r["primaryMetric"]
    pct = m.get("scorePercentiles")
    if r.get("mode") == "sample" and pct:
        return "p50 %s, p99 %s" % (fmt_num(pct.get("50.0")), fmt_num(pct.get("99.0")))
    xs = iterations(r)
    if not xs:
        return "-"
    text = "%s [%s-%s]" % (fmt_num(median(xs)), fmt_num(xs[0]), fmt_num(xs[-1]))
    raw = m.get("rawData") or []
    if len(raw) > 1:
        text += "; per fork " + ", ".join(fmt_num(median(sorted(f))) for f in raw)
    return text


def central(r):
    """The figure a ratio is taken from: median of iterations, or p50 for sample-mode latency."""
    m = r["primaryMetric"]
    pct = m.get("scorePercentiles")
    if r.get("mode") == "sample" and pct:
        return pct.get("50.0")
    xs = iterations(r)
    return median(xs) if xs else m["score"]


def ratio(a, ea, b, eb):
    if not a or not b:
        return float("nan"), float("nan")
    r = a / b
    rel = math.sqrt(((ea or 0) / a) ** 2 + ((eb or 0) / b) ** 2) if not (math.isnan(ea) or math.isnan(eb)) else float("nan")
    return r, r * rel


def speed_ratio(a, b):
    """eventloop4j speed / peer speed (> 1: eventloop4j faster), from the steadiest figure available:
    loop CPU ns/op for loop-side work, p50 for sample-mode latency, else the median of iteration throughputs."""
    ca, _ = secondary(a, "loopCpuNsPerOp")
    cb, _ = secondary(b, "loopCpuNsPerOp")
    if ca and cb:
        return cb / ca, "loop CPU ns/op"
    ma, mb = central(a), central(b)
    if not ma or not mb:
        return float("nan"), "-"
    if a.get("mode") in ("sample", "avgt"):
        return mb / ma, "p50 latency" if a.get("mode") == "sample" else "mean latency"
    return ma / mb, "median ops/s"


def summary(paths):
    """One row per comparison, one column per run: the speed ratio in each run."""
    runs = [load(p)[1] for p in paths]
    names = [p.rsplit("/", 1)[-1].replace(".json", "") for p in paths]
    print("| operation | comparison | figure | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for sec, label, el, peer, params in ROWS:
        cells, figure = [], "-"
        for results in runs:
            a, b = find(results, el, params), find(results, peer, params)
            if a is None or b is None:
                cells.append("-")
                continue
            r, figure = speed_ratio(a, b)
            cells.append("%.2f" % r)
        if all(c == "-" for c in cells):
            continue
        print("| %s | %s | %s | %s |" % (sec, label, figure, " | ".join(cells)))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--summary":
        summary(sys.argv[2:])
        return
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    data, results = load(sys.argv[1])
    section = None
    for sec, label, el, peer, params in ROWS:
        a = find(results, el, params)
        b = find(results, peer, params)
        if a is None or b is None:
            continue
        if sec != section:
            section = sec
            print()
            print("**%s**" % sec)
            print()
            print("| comparison | eventloop4j (mean ± 99.9% CI) | peer (mean ± 99.9% CI) | ratio of means el4j/peer | "
                  "el4j: median [range] | peer: median [range] | ratio of medians | loop CPU ns/op el4j / peer "
                  "| alloc B/op el4j / peer |")
            print("|---|---|---|---|---|---|---|---|---|")
        sa, ea, unit = score(a)
        sb, eb, _ = score(b)
        r, er = ratio(sa, ea, sb, eb)
        ca, _ = secondary(a, "loopCpuNsPerOp")
        cb, _ = secondary(b, "loopCpuNsPerOp")
        aa, eaa = secondary(a, "gc.alloc.rate.norm")
        ab, eab = secondary(b, "gc.alloc.rate.norm")
        cpu = "%.1f / %.1f" % (ca, cb) if ca is not None and cb is not None else "-"
        alloc = "%s / %s" % (fmt_num(aa), fmt_num(ab)) if aa is not None and ab is not None else "-"
        ma, mb = central(a), central(b)
        rm = ma / mb if ma and mb else float("nan")
        print("| %s: `%s` vs `%s` | %s ± %s %s | %s ± %s | %.2f ± %.2f | %s | %s | **%.2f** | %s | %s |" % (
            label, el.split(".")[1], peer.split(".")[1],
            fmt_num(sa), fmt_num(ea), unit, fmt_num(sb), fmt_num(eb), r, er,
            spread(a), spread(b), rm, cpu, alloc))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
