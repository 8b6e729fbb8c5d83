"""Per-sentence cost of the gloss draft (``signlookup.text.draft_gloss``) once loaded.

Run: ``python -m benchmarks.draft_latency``. Loads the bundled draft tables and dictionary
(timed, simplemma's Portuguese table included), then drafts the 500 VLibras sentences of
``../shared/data/text`` one at a time (real sentences of every length, 1 to 81 words); each
sentence is drafted twice and the second time is kept, as the app sees a sentence typed again
or edited. Writes the "gloss-draft" section of docs/text.md. The target is < 50 ms a sentence.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from benchmarks.report import machine, write_section

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "text.md"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--no-write", action="store_true", help="print only")
    args = p.parse_args(argv)
    from signlookup.text import api
    from training.text.corpus import vlibras_pairs

    sentences = [api.clean_text(pair.sentence) for pair in vlibras_pairs()]
    t0 = time.perf_counter()
    drafter = api.load_drafter()
    drafter.draft("Minha amiga detesta passear no shopping.")  # simplemma loads its table here
    load_s = time.perf_counter() - t0
    cold, warm = [], []
    for s in sentences:
        for times in (cold, warm):
            t = time.perf_counter()
            drafter.draft(s)
            times.append((time.perf_counter() - t) * 1e3)
    cold.sort()
    words = [len(s.split()) for s in sentences]
    line = (
        f"Draft of {len(sentences)} VLibras sentences ({min(words)}-{max(words)} words), one at a "
        f"time: first time median {statistics.median(cold):.2f} ms, p90 "
        f"{cold[int(0.9 * len(cold))]:.2f} ms, max {cold[-1]:.2f} ms; again median "
        f"{statistics.median(warm):.2f} ms. Load (tables, dictionary, simplemma) {load_s:.1f} s. "
        f"Machine: {machine()}, load average {os.getloadavg()[0]:.1f} at the end."
    )
    print(line)
    if not args.no_write:
        write_section("gloss-draft", line, DOC)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
