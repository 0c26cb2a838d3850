#!/usr/bin/env python3
"""Key press to the bytes that answer it, measured outside the program:
the clock starts when the key is written to the pseudo-terminal and stops
when the program writes the typed character back, so the time a key waits
before the program wakes is counted too. artty types into its prompt while
4 demo jobs stream partial images (8 sent, 4 at a time; the frame log must
show them running); `vim -u NONE` in insert mode is the anchor, in the
same run.

usage: keypress_latency.py ARTTY_BINARY WORK_DIR"""

import json
import os
import select
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from pty_harness import Pty  # noqa: E402

KEYS = 60
GAP = 0.03
MARK = b"@"


def type_keys(term):
    """Writes MARK KEYS times, GAP apart; the time until each comes back."""
    took = []
    for _ in range(KEYS):
        term.drain(GAP)
        start = time.perf_counter()
        term.write(MARK)
        if not term.wait_for(MARK, 5, since_now=True):
            sys.exit("a typed key never came back")
        took.append((time.perf_counter() - start) * 1000)
    return took


def artty(binary, work):
    frames = os.path.join(work, "frames")
    os.makedirs(os.path.join(work, "data"), exist_ok=True)
    with open(os.path.join(work, "data", "state.json"), "w") as f:
        json.dump({"history": [], "last_model": "gpt-image-2",
                   "params": {"gpt-image-2": {"model": "gpt-image-2", "stream": True,
                                              "partial_images": 3}}}, f)
    env = dict(os.environ, ARTTY_CONFIG_DIR=f"{work}/config", ARTTY_DATA_DIR=f"{work}/data",
               ARTTY_CACHE_DIR=f"{work}/cache", ARTTY_DEBUG_FRAMES=frames)
    term = Pty([binary, "--demo", "--jobs", "4"], 160, 48, env)
    if not term.wait_for(b"DEMO", 10):
        sys.exit("artty never drew its first frame")
    term.write(b"a fox")
    for _ in range(8):
        term.drain(0.02)
        term.write(b"\x07")  # Ctrl+G: generate
    deadline = time.time() + 10
    while running(frames) < 4 and time.time() < deadline:
        term.drain(0.05)
    start_line = lines(frames)
    took = type_keys(term)
    during = [json.loads(l).get("running", 0) for l in read(frames)[start_line:]]
    term.close()
    return took, min(during, default=0)


def vim():
    term = Pty(["vim", "-u", "NONE", "-N", "-n"], 160, 48, dict(os.environ))
    term.wait_for(b"version", 10)
    term.drain(0.2)
    term.write(b"i")
    term.drain(0.2)
    took = type_keys(term)
    term.close()
    return took


def read(path):
    try:
        with open(path) as f:
            return f.readlines()
    except FileNotFoundError:
        return []


def lines(path):
    return len(read(path))


def running(path):
    last = read(path)[-1:]
    return json.loads(last[0]).get("running", 0) if last else 0


def summary(name, took, anchor):
    m = statistics.median(took)
    p90 = sorted(took)[int(len(took) * 0.9)]
    print(f"{name:<34} median {m:5.2f} ms  p90 {p90:5.2f}  max {max(took):6.2f}  "
          f"ratio to vim {m / anchor:.2f}")


def main():
    binary, work = sys.argv[1], sys.argv[2]
    took, streaming = artty(binary, work)
    anchor = vim()
    a = statistics.median(anchor)
    summary("vim -u NONE, insert mode (anchor)", anchor, a)
    summary(f"artty, {streaming}+ jobs streaming", took, a)
    if streaming < 4:
        sys.exit(f"only {streaming} jobs were running while keys were typed: not the case measured")


main()
