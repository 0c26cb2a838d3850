#!/usr/bin/env python3
"""One generation from the command line, end to end, against the official
Python SDK (openai==3.51.0 from tests/contract/.venv) doing the same on
the same loopback server (`artty mock-server`): each writes the image to
a file. The two alternate, round after round; per run the wall time, the
CPU time (user + system) and the peak resident memory of the process are
taken from wait4. Prints medians and artty's ratio to the SDK (the
anchor).

usage: cli_vs_sdk.py ARTTY_BINARY SDK_PYTHON WORK_DIR [ROUNDS]"""

import os
import socket
import statistics
import subprocess
import sys
import time

KEY = "sk-bench-0000000000000000000000"
SDK = """
import base64, sys, openai
client = openai.OpenAI(api_key=sys.argv[1], base_url=sys.argv[2])
result = client.images.generate(model="gpt-image-2", prompt="a fox", size="1024x1024")
open(sys.argv[3], "wb").write(base64.b64decode(result.data[0].b64_json))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(cmd, env):
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {child.stderr.read().decode()[-500:]}")
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def main():
    binary, python, work = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    port = free_port()
    env = dict(os.environ, ARTTY_CONFIG_DIR=f"{work}/config", ARTTY_DATA_DIR=f"{work}/data",
               ARTTY_CACHE_DIR=f"{work}/cache", OPENAI_API_KEY=KEY, NO_PROXY="127.0.0.1")
    server = subprocess.Popen([binary, "mock-server", "--port", str(port), "--key", KEY], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        script = os.path.join(work, "sdk_generate.py")
        with open(script, "w") as f:
            f.write(SDK)
        runs = {"artty generate": [], "official SDK (anchor)": []}
        for n in range(rounds):
            runs["official SDK (anchor)"].append(
                timed([python, script, KEY, base, f"{work}/sdk-{n}.png"], env))
            runs["artty generate"].append(
                timed([binary, "-q", "generate", "--base-url", base, "-m", "gpt-image-2",
                       "-s", "1024x1024", "--out", f"{work}/out", "a fox"], env))
    finally:
        server.terminate()
        server.wait()
    medians = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in runs.items()}
    anchor = medians["official SDK (anchor)"]
    for name, (wall, cpu, rss) in medians.items():
        print(f"{name:<24} wall {wall:7.1f} ms  CPU {cpu:7.1f} ms  peak RSS {rss:6.1f} MiB  "
              f"ratio to the SDK {wall / anchor[0]:.3f} / {cpu / anchor[1]:.3f} / {rss / anchor[2]:.2f}")


main()
