"""A pseudo-terminal that answers what a terminal is asked (DA1, DA2, cell
and window size in pixels) at once, for the scripts that time the real
binary without a terminal emulator in between."""

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time

CELL = (10, 20)


class Pty:
    def __init__(self, cmd, cols, rows, env):
        master, slave = os.openpty()
        size = struct.pack("HHHH", rows, cols, cols * CELL[0], rows * CELL[1])
        fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
        self.answers = [
            (b"\x1b[c", b"\x1b[?62;22c"),
            (b"\x1b[>c", b"\x1b[>41;390;0c"),
            (b"\x1b[16t", b"\x1b[6;%d;%dt" % (CELL[1], CELL[0])),
            (b"\x1b[14t", b"\x1b[4;%d;%dt" % (rows * CELL[1], cols * CELL[0])),
        ]
        env = dict(env, TERM="xterm-256color")
        env.pop("TMUX", None)
        self.started = time.perf_counter()
        self.child = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master = master
        self.seen = b""

    def _read(self, timeout):
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            return b""
        for query, answer in self.answers:
            if query in chunk:
                os.write(self.master, answer)
        return chunk

    def write(self, data):
        os.write(self.master, data)

    def wait_for(self, marker, timeout, since_now=False):
        """Reads until `marker` has been written (since now, or since the
        start); False on timeout."""
        seen = b"" if since_now else self.seen
        deadline = time.perf_counter() + timeout
        while marker not in seen:
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            chunk = self._read(left)
            seen += chunk
            self.seen += chunk
        return True

    def drain(self, seconds):
        """Reads (and answers) whatever comes for `seconds`."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self.seen += self._read(left)
        self.seen = self.seen[-(1 << 20):]

    def close(self):
        self.child.send_signal(signal.SIGTERM)
        try:
            self.child.wait(3)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()
        os.close(self.master)
