"""The official Python SDK as a second contract.

For every case of the table below, the SDK (`openai==3.51.0`, pinned in
requirements.txt) and artty's command line make the same request against one
recording server on loopback, and the two requests must be the same: JSON
bodies equal; for multipart bodies the text fields equal as a set of
(name, value) pairs and the file parts equal by field name, file name, type
and bytes. A case fails with both requests printed.

Run: python sdk_differential.py ARTTY_BINARY  (tests/contract_sdk.rs does).
Prints one line per case and `N passed, M failed`; exits 1 on any failure.
"""

import base64
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai

KEY = "sk-differential-000000000000000000"

# Headers are not compared: each client names itself (user-agent,
# x-stainless-*) and transport headers differ; the key header is checked on
# artty's request. Differences in the body that are deliberate, with why,
# would be listed here and taken out of both requests; there are none.
DELIBERATE = {}

def png(width, height, rgba):
    raw = b"".join(b"\x00" + bytes(rgba) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# One transparent black pixel, two frames of it.
TINY_GIF = base64.b64decode(
    "R0lGODlhAQABAIAAAAAAAP///yH/C05FVFNDQVBFMi4wAwEAAAAh+QQACgAAACwAAAAAAQABAAACAkQBACH5BAAKAAAALAAAAAABAAEAAAICRAEAOw=="
)
TINY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
TINY_PNG = png(2, 2, (10, 20, 30, 255))


def parse_multipart(content_type, body):
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    fields, files = [], []
    for part in body.split(b"--" + boundary):
        part = part.strip(b"\r\n")
        if not part or part == b"--":
            continue
        head, _, data = part.partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        params = {}
        for item in disposition.split(";")[1:]:
            key, _, value = item.strip().partition("=")
            params[key] = value.strip('"')
        if "filename" in params:
            files.append((params["name"], params["filename"], headers.get("content-type"), data))
        else:
            fields.append((params["name"], data.decode()))
    return sorted(fields), sorted(files)


class Recorder(BaseHTTPRequestHandler):
    requests = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        body = self.rfile.read(length)
        content_type = self.headers.get("content-type", "")
        record = {"path": self.path, "auth": self.headers.get("authorization")}
        if content_type.startswith("multipart/form-data"):
            record["fields"], record["files"] = parse_multipart(content_type, body)
            params = dict(record["fields"])
            stream = params.get("stream") == "true"
            fmt = params.get("output_format")
        else:
            record["json"] = json.loads(body)
            stream = record["json"].get("stream") is True
            fmt = record["json"].get("output_format")
        Recorder.requests.append(record)
        if self.path.endswith("/files") or self.path.endswith("/batches"):
            return self.answer_json(BATCH_OBJECTS[self.path.rsplit("/", 1)[1]](record))
        image = {"gif": TINY_GIF, "svg": TINY_SVG}.get(fmt, TINY_PNG)
        b64 = base64.b64encode(image).decode()
        if stream:
            kind = "image_edit" if "edits" in self.path else "image_generation"
            event = {"type": f"{kind}.completed", "b64_json": b64, "created_at": 1,
                     "size": "1024x1024", "quality": "high", "background": "opaque",
                     "output_format": fmt or "png", "usage": {"input_tokens": 1, "output_tokens": 1,
                     "total_tokens": 2, "input_tokens_details": {"text_tokens": 1, "image_tokens": 0}}}
            payload = f"event: {kind}.completed\ndata: {json.dumps(event)}\n\n".encode()
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
        else:
            payload = json.dumps({"created": 1, "data": [{"b64_json": b64}]}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


    def answer_json(self, value):
        payload = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


# The Files and Batch APIs' answers: just enough for either client to go on.
BATCH_OBJECTS = {
    "files": lambda record: {"id": "file_differential", "object": "file", "bytes": len(record["files"][0][3]),
                             "created_at": 1, "filename": record["files"][0][1], "purpose": "batch",
                             "status": "processed"},
    "batches": lambda record: {"id": "batch_differential", "object": "batch", "endpoint": record["json"]["endpoint"],
                               "input_file_id": record["json"]["input_file_id"], "completion_window": "24h",
                               "status": "validating", "created_at": 1,
                               "request_counts": {"total": 1, "completed": 0, "failed": 0}},
}


def batch_cases(binary, base_url, client, work, env):
    """`artty batch FILE --batch-api` against `files.create` and
    `batches.create`: artty goes first (its input file and metadata are its
    own), then the SDK uploads the same file from disk, as its docs show,
    and creates the batch with the same values. Returns (passed, failed)."""
    lines = os.path.join(work, "batch-lines.txt")
    with open(lines, "w") as f:
        f.write("a lighthouse at dusk\n{\"prompt\": \"a kite\", \"quality\": \"low\"}\n")
    Recorder.requests.clear()
    run = subprocess.run([binary, "--base-url", base_url, "-q", "batch", lines, "--batch-api", "-m", "gpt-image-2"],
                         env=env, capture_output=True, text=True)
    if run.returncode != 0 or len(Recorder.requests) != 2:
        print(f"FAIL batch: artty exited {run.returncode} after {len(Recorder.requests)} request(s)\n"
              f"  stderr: {run.stderr.strip()}")
        return 0, 2
    upload, create = Recorder.requests
    _, file_name, _, content = upload["files"][0]
    with open(os.path.join(work, file_name), "wb") as f:
        f.write(content)
    Recorder.requests.clear()
    with open(os.path.join(work, file_name), "rb") as f:
        client.files.create(file=f, purpose="batch")
    body = create["json"]
    client.batches.create(input_file_id=body["input_file_id"], endpoint=body["endpoint"],
                          completion_window="24h", metadata=body["metadata"])
    passed, failed = 0, 0
    for title, sdk, ours in [("files.create, purpose batch", Recorder.requests[0], upload),
                             ("batches.create", Recorder.requests[1], create)]:
        sdk, ours_n = normalise(sdk), normalise(ours)
        if sdk == ours_n and ours["auth"] == f"Bearer {KEY}":
            print(f"ok   {title}")
            passed += 1
        else:
            print(f"FAIL {title}\n  sdk:   {json.dumps(sdk, sort_keys=True)}\n  artty: {json.dumps(ours_n, sort_keys=True)}")
            failed += 1
    # The lines themselves: one request each, in the shape the Batch API reads.
    requests = [json.loads(line) for line in content.decode().splitlines()]
    shaped = all(set(r) == {"custom_id", "method", "url", "body"} and r["method"] == "POST"
                 and r["url"] == body["endpoint"] for r in requests) and len(requests) == 2
    print(f"{'ok  ' if shaped else 'FAIL'} batch input lines")
    return passed + shaped, failed + (not shaped)


# CLI flags for the SDK's parameters.
FLAGS = {
    "model": "-m", "size": "-s", "quality": "--quality", "n": "-n", "style": "--style",
    "background": "--background", "output_format": "--format", "output_compression": "--compression",
    "moderation": "--moderation", "input_fidelity": "--fidelity", "partial_images": "--partial-images",
    "response_format": "--response-format", "complexity": "--complexity", "frame_count": "--frames",
    "frame_duration_ms": "--frame-ms", "safety_identifier": "--safety-id", "user": "--user",
}


def cli_args(kind, params, files):
    args = [kind, params["prompt"]]
    for name, value in params.items():
        if name in FLAGS:
            args += [FLAGS[name], str(value)]
        elif name == "stream":
            args.append("--stream")
        elif name == "svg":
            if "model" in value:
                args += ["--svg-model", value["model"]]
            if "reasoning" in value:
                args += ["--svg-effort", value["reasoning"]["effort"]]
        elif name != "prompt":
            raise ValueError(f"no flag for {name}")
    for path in files.get("image", []):
        args += ["--image", path]
    for name in ("mask", "markup"):
        if name in files:
            args += [f"--{name}", files[name]]
    return args


def sdk_files(files):
    def one(path):
        with open(path, "rb") as f:
            return (os.path.basename(path), f.read(), "image/png")

    out = {}
    images = files.get("image", [])
    if images:
        out["image"] = one(images[0]) if len(images) == 1 else [one(p) for p in images]
    for name in ("mask", "markup"):
        if name in files:
            out[name] = one(files[name])
    return out


G = "gpt-image-2.6-flare"
S = "gpt-image-2.6-sunburst"

# (name, "generate" | "edit", parameters, input files by role)
CASES = [
    ("default model, prompt only", "generate", {"model": G}, {}),
    ("2.6 flare quality max", "generate", {"model": G, "quality": "max"}, {}),
    ("2.6 flare xhigh at a free size", "generate", {"model": G, "quality": "xhigh", "size": "1536x864"}, {}),
    ("2.6 flare complexity", "generate", {"model": G, "complexity": "high"}, {}),
    ("2.6 flare GIF frames and time", "generate",
     {"model": G, "output_format": "gif", "frame_count": 4, "frame_duration_ms": 120, "size": "720x720"}, {}),
    ("2.6 flare GIF defaults", "generate", {"model": G, "output_format": "gif"}, {}),
    ("2.6 flare SVG author and effort", "generate",
     {"model": G, "output_format": "svg", "svg": {"model": "gpt-5", "reasoning": {"effort": "low"}}}, {}),
    ("2.6 flare SVG effort only", "generate",
     {"model": G, "output_format": "svg", "svg": {"reasoning": {"effort": "max"}}}, {}),
    ("2.6 flare SVG author only", "generate", {"model": G, "output_format": "svg", "svg": {"model": "gpt-5-mini"}}, {}),
    ("2.6 flare SVG, no svg object", "generate", {"model": G, "output_format": "svg", "complexity": "low"}, {}),
    ("2.6 sunburst max and complexity", "generate", {"model": S, "quality": "max", "complexity": "low"}, {}),
    ("2.6 sunburst transparent webp", "generate",
     {"model": S, "background": "transparent", "output_format": "webp", "output_compression": 80}, {}),
    ("2.6 sunburst n and moderation", "generate", {"model": S, "n": 3, "moderation": "low"}, {}),
    ("2.5 flare xhigh", "generate", {"model": "gpt-image-2.5-flare", "quality": "xhigh"}, {}),
    ("2.5 sunburst streaming", "generate",
     {"model": "gpt-image-2.5-sunburst", "stream": True, "partial_images": 2}, {}),
    ("2.5 flare dated snapshot", "generate", {"model": "gpt-image-2.5-flare-2026-09-08", "quality": "max"}, {}),
    ("gpt-image-2 jpeg at 2048x1152", "generate",
     {"model": "gpt-image-2", "size": "2048x1152", "quality": "high", "output_format": "jpeg",
      "output_compression": 50}, {}),
    ("gpt-image-2 safety identifier", "generate", {"model": "gpt-image-2", "safety_identifier": "user-7f3a"}, {}),
    ("gpt-image-2 deprecated user", "generate", {"model": "gpt-image-2", "user": "user-7f3a"}, {}),
    ("gpt-image-2 dated snapshot", "generate", {"model": "gpt-image-2-2026-04-21", "size": "auto"}, {}),
    ("safety identifier and user", "generate", {"model": G, "safety_identifier": "h1", "user": "u1"}, {}),
    ("dall-e-3 on a compatible server", "generate",
     {"model": "dall-e-3", "quality": "hd", "style": "vivid", "size": "1792x1024", "response_format": "b64_json"}, {}),
    ("dall-e-2 on a compatible server", "generate",
     {"model": "dall-e-2", "size": "512x512", "n": 2, "response_format": "b64_json"}, {}),
    ("edit, one image", "edit", {"model": G}, {"image": ["a.png"]}),
    ("edit, three images", "edit", {"model": G, "quality": "high"}, {"image": ["a.png", "b.png", "c.png"]}),
    ("edit, sixteen images", "edit", {"model": S}, {"image": [f"r{i}.png" for i in range(16)]}),
    ("edit with a mask", "edit", {"model": G, "size": "1024x1024"}, {"image": ["a.png"], "mask": "mask.png"}),
    ("edit with markup", "edit", {"model": G}, {"image": ["a.png"], "markup": "markup.png"}),
    ("2.5 markup at max", "edit", {"model": "gpt-image-2.5-sunburst", "quality": "max"},
     {"image": ["a.png", "b.png"], "markup": "markup.png"}),
    ("edit to SVG with nested fields", "edit",
     {"model": G, "output_format": "svg", "svg": {"model": "gpt-5", "reasoning": {"effort": "minimal"}}},
     {"image": ["a.png"]}),
    ("edit to GIF", "edit", {"model": S, "output_format": "gif", "frame_count": 3, "frame_duration_ms": 50},
     {"image": ["a.png"]}),
    ("2.5 input fidelity", "edit", {"model": "gpt-image-2.5-flare", "input_fidelity": "high"}, {"image": ["a.png"]}),
    ("2.6 complexity and n", "edit", {"model": S, "complexity": "medium", "n": 2}, {"image": ["a.png"]}),
    ("gpt-image-2 edit streaming", "edit", {"model": "gpt-image-2", "stream": True, "partial_images": 1},
     {"image": ["a.png"]}),
    ("edit, background, format, safety id", "edit",
     {"model": G, "background": "opaque", "output_format": "png", "safety_identifier": "h2"}, {"image": ["a.png"]}),
    ("gpt-image-1.5 fidelity on a compatible server", "edit",
     {"model": "gpt-image-1.5", "input_fidelity": "high"}, {"image": ["a.png"]}),
]


def normalise(record):
    out = {key: value for key, value in record.items() if key != "auth"}
    if "files" in out:
        out["files"] = [(f, n, t, base64.b64encode(d).decode()[:24] + f"..{len(d)}B") for f, n, t, d in out["files"]]
    return out


def main():
    binary = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_port}/v1"
    client = openai.OpenAI(api_key=KEY, base_url=base_url, max_retries=0)
    work = tempfile.mkdtemp(prefix="artty-sdk-")
    names = {"a.png", "b.png", "c.png", "mask.png", "markup.png"} | {f"r{i}.png" for i in range(16)}
    for i, name in enumerate(sorted(names)):
        alpha = 0 if name in ("mask.png", "markup.png") else 255
        with open(os.path.join(work, name), "wb") as f:
            f.write(png(16, 16, (i * 10 % 256, 40, 90, alpha)))
    env = dict(os.environ, OPENAI_API_KEY=KEY, HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_DATA_HOME=os.path.join(work, "data"), XDG_CACHE_HOME=os.path.join(work, "cache"))
    for name in ("OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        env.pop(name, None)
    passed, failed = 0, 0
    for title, kind, params, inputs in CASES:
        params = dict(params, prompt=f"case: {title}")
        files = {role: ([os.path.join(work, p) for p in paths] if role == "image" else os.path.join(work, paths))
                 for role, paths in inputs.items()}
        Recorder.requests.clear()
        try:
            call = client.images.generate if kind == "generate" else client.images.edit
            answer = call(**params, **sdk_files(files))
            if params.get("stream"):
                for _ in answer:
                    pass
        except Exception as err:  # the SDK's own refusal is a failed case too
            print(f"FAIL {title}: the SDK raised {err!r}")
            failed += 1
            continue
        run = subprocess.run([binary, "--base-url", base_url, "--out", os.path.join(work, "out"), "-q",
                              *cli_args(kind, params, files)], env=env, capture_output=True, text=True)
        if run.returncode != 0 or len(Recorder.requests) != 2:
            print(f"FAIL {title}: artty exited {run.returncode} after {len(Recorder.requests) - 1} request(s)\n"
                  f"  stderr: {run.stderr.strip()}")
            failed += 1
            continue
        sdk, ours = (normalise(r) for r in Recorder.requests)
        if sdk == ours and Recorder.requests[1]["auth"] == f"Bearer {KEY}":
            print(f"ok   {title}")
            passed += 1
        else:
            print(f"FAIL {title}\n  sdk:   {json.dumps(sdk, sort_keys=True)}\n  artty: {json.dumps(ours, sort_keys=True)}")
            failed += 1
    more_passed, more_failed = batch_cases(binary, base_url, client, work, env)
    passed, failed = passed + more_passed, failed + more_failed
    server.shutdown()
    print(f"{len(CASES) + 3} cases, openai {openai.__version__}")
    print(f"differential: {passed} passed, {failed} failed")
    return 1 if failed or len(CASES) < 30 else 0


if __name__ == "__main__":
    sys.exit(main())
