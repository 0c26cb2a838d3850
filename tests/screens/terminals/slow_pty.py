#!/usr/bin/env python3
"""A slow link between a terminal and a program: runs the program on a
pty of its own and passes what it writes straight to the terminal, but
holds everything the terminal sends back (keys and, above all, the
terminal's replies to queries) for DELAY seconds, as a long SSH round trip
would. Window size changes are passed on.

usage: slow_pty.py DELAY PROGRAM [ARGS...]
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
import tty


def window_size(fd):
    return fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)


def main():
    delay = float(sys.argv[1])
    command = sys.argv[2:]
    pid, child = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    fcntl.ioctl(child, termios.TIOCSWINSZ, window_size(stdin))
    signal.signal(
        signal.SIGWINCH,
        lambda *_: fcntl.ioctl(child, termios.TIOCSWINSZ, window_size(stdin)),
    )
    saved = termios.tcgetattr(stdin)
    tty.setraw(stdin)
    held = []  # (due time, bytes) from the terminal, in order
    try:
        while True:
            timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
            try:
                ready, _, _ = select.select([stdin, child], [], [], timeout)
            except InterruptedError:
                continue
            if child in ready:
                try:
                    data = os.read(child, 65536)
                except OSError:
                    break
                if not data:
                    break
                os.write(stdout, data)
            if stdin in ready:
                data = os.read(stdin, 65536)
                if not data:
                    break
                held.append((time.monotonic() + delay, data))
            now = time.monotonic()
            while held and held[0][0] <= now:
                os.write(child, held.pop(0)[1])
    finally:
        termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
