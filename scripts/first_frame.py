#!/usr/bin/env python3
"""Launch to first frame, whole process, in a pseudo-terminal that answers
at once as a local terminal does: the programs named are started in turn,
round after round, so all see the same machine. The clock starts before
the fork and stops when the program has written the text that ends its
first screen.

usage: first_frame.py ROUNDS COLS ROWS -- NAME MARKER CMD... [-- NAME MARKER CMD...]
prints one line per program: median, min and max in ms, and the ratio of
its median to the first program's (the anchor)."""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from pty_harness import Pty  # noqa: E402


def once(cmd, marker, cols, rows):
    term = Pty(cmd, cols, rows, dict(os.environ))
    shown = term.wait_for(marker, 10)
    took = (time.perf_counter() - term.started) * 1000
    tail = term.seen[-400:]
    term.close()
    if not shown:
        sys.exit(f"{cmd[0]} never wrote {marker!r}; it wrote {tail!r}")
    return took


def main():
    rounds, cols, rows = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    programs = []
    for arg in sys.argv[4:]:
        if arg == "--":
            programs.append([])
        else:
            programs[-1].append(arg)
    times = {p[0]: [] for p in programs}
    for _ in range(rounds):
        for name, marker, *cmd in programs:
            times[name].append(once(cmd, marker.encode(), cols, rows))
    anchor = statistics.median(times[programs[0][0]])
    for name, *_ in programs:
        t = times[name]
        m = statistics.median(t)
        print(f"{name:<30} median {m:6.1f} ms  min {min(t):6.1f}  max {max(t):6.1f}  "
              f"ratio to {programs[0][0]}: {m / anchor:.2f}")


main()
