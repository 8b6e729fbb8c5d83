"""How long an import in a worker thread freezes the main thread (it holds the GIL).

Run: ``python -m benchmarks.import_stalls [--gc-off] [--after torch] [MODULE ...]``.

Each module is imported in a fresh process, in a worker thread, with what the app has already
imported by then (numpy, scipy.sparse, cv2, faiss, Qt widgets, plus ``--after``), while the
main thread sleeps 10 ms at a time and records how late it wakes. Python code lets other
threads run every 5 ms; a long native call (a C extension's start-up) or a full cyclic
collection does not. ``--gc-off`` turns the collector off first, to tell the two apart. The
GUI imports what stalls natively before its event loop (``signlookup.gui.app.PRELOAD_MODULES``)
and pauses the collector while models load (``signlookup.gui.workers.collection_paused``).
The last line printed is JSON: per module, the import's ms and the longest stall in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

DEFAULT_MODULES = ("torch", "mediapipe.python.solutions.holistic", "sentence_transformers")
ALREADY_IMPORTED = ("numpy", "scipy.sparse", "cv2", "faiss", "PySide6.QtWidgets")
TICK_S = 0.010

PROBE = """
import gc, importlib, sys, threading, time
for name in sys.argv[3].split(","):
    if name:
        importlib.import_module(name)
if sys.argv[2] == "1":
    gc.disable()
took = []
def work():
    began = time.perf_counter()
    importlib.import_module(sys.argv[1])
    took.append(time.perf_counter() - began)
worker = threading.Thread(target=work)
gaps = []
last = time.perf_counter()
worker.start()
while worker.is_alive():
    time.sleep(TICK)
    now = time.perf_counter()
    gaps.append(now - last - TICK)
    last = now
worker.join()
print(round(took[0] * 1000), round(max(gaps) * 1000, 1))
""".replace("TICK", repr(TICK_S))


def probe(module: str, gc_off: bool, already: list[str]) -> dict[str, float]:
    env = dict(os.environ, GLOG_minloglevel="2")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, module, "1" if gc_off else "0", ",".join(already)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    return {"import_ms": float(out[-2]), "stall_max_ms": float(out[-1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", default=list(DEFAULT_MODULES))
    parser.add_argument("--gc-off", action="store_true", help="cyclic GC off during the import")
    parser.add_argument("--after", default="", help="comma-separated modules imported first")
    args = parser.parse_args()
    already = [*ALREADY_IMPORTED, *filter(None, args.after.split(","))]
    figures = {}
    for module in args.modules:
        figures[module] = probe(module, args.gc_off, already)
        print(f"{module}: {figures[module]}", flush=True)
    print(json.dumps({"gc_off": args.gc_off, "after": args.after, "modules": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
