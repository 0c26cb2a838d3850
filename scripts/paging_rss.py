#!/usr/bin/env python3
"""Memory after paging through a large gallery, per way of drawing: the
real binary in a pseudo-terminal (no terminal emulator, its output read
and dropped), `--demo` over GALLERY, PageDown from the first page to the
last, waiting at each page until its thumbnails are drawn (the frame
log), three passes. Prints the resident memory (VmRSS) after the first
page, which is the anchor, and after each pass, with the ratio to the
anchor; memory that stays flat over the passes is bounded.

usage: paging_rss.py ARTTY_BINARY WORK_DIR IMAGES MODE..."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from pty_harness import Pty  # noqa: E402

PAGE_DOWN = b"\x1b[6~"
HOME = b"\x1b[H"
PASSES = 3


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def last_frame(path):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 65536))
        lines = f.read().splitlines()
    # The last line may be half written: the last whole one.
    for line in reversed(lines):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return {}


def page_drawn(term, frames, timeout=3.0, unlike=None):
    """Waits until the pictures on screen differ from `unlike` and are all
    drawn; false on timeout."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        term.drain(0.01)
        pictures = last_frame(frames).get("pictures", [])
        areas = [(p["area"], p["id"]) for p in pictures]
        if pictures and all(p["ready"] for p in pictures) and areas != unlike:
            return True
    return False


def shown(frames):
    return [(p["area"], p["id"]) for p in last_frame(frames).get("pictures", [])]


def run(binary, work, count, mode):  # noqa: C901
    frames = os.path.join(work, f"frames-{mode}")
    env = dict(os.environ, ARTTY_CONFIG_DIR=f"{work}/config", ARTTY_DATA_DIR=f"{work}/data",
               ARTTY_CACHE_DIR=f"{work}/cache-{mode}", ARTTY_DEBUG_FRAMES=frames)
    term = Pty([binary, "--demo", "--graphics", mode], 160, 48, env)
    term.wait_for(b"DEMO", 10)
    # The whole gallery read: its count in the title.
    term.wait_for(f"{count} images".encode(), 60)
    term.write(b"\x1b")
    term.drain(0.3)
    term.write(b"\t")
    term.drain(0.3)
    term.write(b"\t")  # prompt → parameters → gallery
    page_drawn(term, frames)
    first = rss_mib(term.child.pid)
    anchor = f"{mode:<7} first page (anchor) {first:6.1f} MiB"
    print(anchor, flush=True)
    after = []
    for n in range(1, PASSES + 1):
        started = time.time()
        pages = 0
        while True:
            before = shown(frames)
            term.write(PAGE_DOWN)
            if not page_drawn(term, frames, timeout=10, unlike=before):
                # Nothing new in 10 s: the last page, or a page never drawn.
                if shown(frames) != before:
                    stuck = [p for p in last_frame(frames).get("pictures", []) if not p["ready"]]
                    print(f"{mode}: a page not drawn in 10 s: {stuck}", flush=True)
                break
            pages += 1
        if pages < count // 100:
            sys.exit(f"{mode}: only {pages} pages for {count} images: PageDown did not page")
        rss = rss_mib(term.child.pid)
        after.append(rss)
        print(f"{mode:<7} after pass {n}: {pages} pages in {time.time() - started:5.1f} s, "
              f"RSS {rss:6.1f} MiB, ratio to first page {rss / first:.2f}",
              flush=True)
        term.write(HOME)
        page_drawn(term, frames)
    with open(f"/proc/{term.child.pid}/status") as f:
        peak = next(int(l.split()[1]) / 1024 for l in f if l.startswith("VmHWM:"))
    term.close()
    print(f"{mode:<7} peak {peak:6.1f} MiB; growth from pass 1 to {PASSES}: {after[-1] - after[0]:+.1f} MiB")


def main():
    binary, work, count, *modes = sys.argv[1:]
    for mode in modes:
        run(binary, work, int(count), mode)


main()
