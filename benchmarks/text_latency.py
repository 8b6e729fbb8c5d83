"""Time one Portuguese sentence -> gloss alignment against the bundled text index.

Run: ``python -m benchmarks.text_latency [--bundle resources/models/text] [--repeats 20]``.
Prints one JSON line: median and minimum milliseconds per ``api.align`` call (k=10) after a
warm-up, over a few sentences. The target is 50 ms on an idle CPU; a unit test used to assert
< 250 ms, which failed under load, so the figure lives here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from benchmarks.report import machine

SENTENCES = (
    "Você gosta de abacate com leite?",
    "Minha amiga detesta passear no shopping.",
    "O gato está abaixo da mesa.",
)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from signlookup.text import api

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=Path("resources/models/text"))
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    index = api.load(args.bundle, allow_lexical=False)
    api.align(SENTENCES[0], k=10, index=index)  # warm-up
    times_ms = []
    for _ in range(args.repeats):
        for sentence in SENTENCES:
            t0 = time.perf_counter()
            api.align(sentence, k=10, index=index)
            times_ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        "align_median_ms": round(statistics.median(times_ms), 2),
        "align_min_ms": round(min(times_ms), 2), "calls": len(times_ms), "machine": machine(),
        "load_1min": round(os.getloadavg()[0], 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
