"""Markdown table from the JSON lines that ``python -m training.text evaluate --append`` writes.

python -m training.text.report /tmp/signlookup_text/results.jsonl
"""

from __future__ import annotations

import json
import sys


def row(r: dict) -> str:
    def cell(split: str) -> str:
        m = r.get(split)
        return (
            f"{m['recall@1']:.3f} / {m['recall@5']:.3f} / {m['recall@10']:.3f} / {m['mrr']:.3f}"
            if m
            else "-"
        )

    name = r["scorer"] + (f" {r['model'].rstrip('/').split('/')[-1]}" if r.get("model") else "")
    if r.get("raw_glosses"):
        name += " (raw glosses)"
    if r["scorer"] == "model" and r.get("fusion", 1.0) < 1.0:
        name += f" + lexical (w={r['fusion']})"
    edits = f"{r['minimal_edit_acc']:.3f} (roles {r.get('minimal_edit_roles', 0):.2f})"
    para = r.get("paraphrased_only")
    para_cell = f"{para['recall@1']:.3f}" if para else "-"
    return f"| {name} | {cell('ines')} | {cell('ines_paraphrased')} | {para_cell} | {cell('vlibras')} | {edits} |"


def main(path: str) -> None:
    print(
        "| scorer | INES R@1/R@5/R@10/MRR | INES, 43 paraphrased | paraphrased only R@1 | VLibras (cross-notation) | minimal-edit acc |"
    )
    print("|---|---|---|---|---|---|")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                print(row(json.loads(line)))


if __name__ == "__main__":
    main(sys.argv[1])
