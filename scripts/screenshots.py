"""Render each view of the app with real content into docs/screenshots/*.png.

Run offscreen or under Xvfb, once per language:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--language pt]
Builds (once) a small gallery from ../shared/data/videos in build/screenshot_gallery, opens a clip of
another source as the query, and grabs the search (also with a facet chosen), gallery (also
browsed by handshape) and gloss views at 1366x768 (a common laptop screen: the window must be
usable there).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "data" / "videos"
GALLERY_CLIPS = (
    "pai_vl_4", "café_vl_5", "carne_vl_4", "filho_vl_6", "homem_vl_5", "casa_vl_6", "ajudar_ne_1",
    "banana_sb_2", "comer_uf_3", "sorvete_ne_1", "família_uf_3", "bebê_uf_3",
)  # fmt: skip
QUERY = "café_uf_3.mp4"  # another dictionary than the gallery's café_vl_5
SENTENCE = "Eu quero comer banana."


def build_gallery(folder: Path) -> Path:
    """Import the gallery clips once (MediaPipe runs per clip: a minute or two)."""
    from signlookup.gallery import Gallery, import_folder
    from signlookup.search import default_embedder

    if (folder / "gallery.sqlite").exists():
        return folder
    with tempfile.TemporaryDirectory() as tmp:
        for name in GALLERY_CLIPS:
            (Path(tmp) / f"{name}.mp4").symlink_to(VIDEOS / f"{name}.mp4")
        with Gallery.create(folder, default_embedder()) as gallery:
            report = import_folder(
                gallery,
                Path(tmp),
                language="Libras",
                progress=lambda d, t, n="": print(f"{d}/{t} {n}"),
            )
            print(f"gallery: {len(report.added)} added, {len(report.failed)} failed")
    return folder


def text_services():
    """The bundled text model when present, else the text layer's lexical index over the INES CSV."""
    from signlookup.gui.services import Services
    from signlookup.resources import resource

    if (resource("models", "text") / "index.json").is_file():
        return Services(list_cameras=lambda: [])

    def lexical():
        import csv

        from signlookup.gui.services import TextLookup
        from signlookup.text import GlossIndex
        from signlookup.text.dictionary import Dictionary

        with open(
            REPO.parent / "shared" / "data" / "text" / "ines_dictionary.csv", encoding="utf-8"
        ) as fh:
            rows = list(csv.DictReader(fh))
        pairs = {r["example_gloss"]: r["example_pt"] for r in rows if r.get("example_gloss")}
        glosses = sorted(pairs)
        index = GlossIndex.build(
            None,
            glosses,
            fusion_weight=0.0,
            sentences=[pairs[g] for g in glosses],
            sentence_gloss=list(range(len(glosses))),
            dictionary=Dictionary.from_rows(rows),
        )
        return TextLookup(index)

    return Services(list_cameras=lambda: [], open_aligner=lexical)


def wait(app, condition, timeout_s: float = 60.0) -> bool:
    import time

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gallery", type=Path, default=REPO / "build" / "screenshot_gallery")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--language", default="en", choices=("en", "pt"))
    args = parser.parse_args()
    if not VIDEOS.is_dir():
        print(f"needs {VIDEOS}", file=sys.stderr)
        return 1
    gallery = build_gallery(args.gallery)
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from signlookup.gui.app import create_application, create_main_window
    from signlookup.gui.settings import AppSettings

    app = create_application(sys.argv[:1])
    store_dir = tempfile.mkdtemp()
    store = QSettings(str(Path(store_dir) / "s.ini"), QSettings.Format.IniFormat)
    AppSettings(gallery_folder=str(gallery), language=args.language, top_k=6).save(store)
    window = create_main_window(store, text_services())
    window.resize(1366, 768)
    window.show()
    suffix = "" if args.language == "en" else "_pt"

    # search view: the query is a clip from another dictionary than the gallery's
    wait(app, lambda: window.gallery.searcher is not None)
    view = window.search_view
    view.open_file(VIDEOS / QUERY)
    wait(app, lambda: view.results_model.rowCount() > 0, 120)
    wait(app, lambda: view.match_view.has_frame, 20)
    query = window.search_controller.query  # from the pose cache, its pictures come after
    wait(app, lambda: query is not None and bool(query.images), 30)
    wait(app, lambda: False, 1.5)  # let both players run a little
    # the camera's signer session as after 12 look-ups (no camera here: its indicator only)
    window.search_controller.session_changed.emit(12)
    window.grab().save(str(args.out / f"search{suffix}.png"))

    # the facets: the query's own handshape and place outlined, a place chip clicked
    panel = view.facet_panel
    wait(app, panel.isEnabled, 30)
    suggested = panel.suggested[1]
    if suggested in panel.place_buttons:
        panel.place_buttons[suggested].click()
    wait(app, lambda: False, 0.5)
    window.grab().save(str(args.out / f"search_facets{suffix}.png"))

    # gallery view with one entry playing
    window.tabs.setCurrentWidget(window.gallery_view)
    gv = window.gallery_view
    wait(app, lambda: gv.proxy.rowCount() > 0, 10)
    gv.table.selectRow(min(3, gv.proxy.rowCount() - 1))
    wait(app, lambda: gv.player_view.has_frame, 20)
    wait(app, lambda: False, 1.0)
    window.grab().save(str(args.out / f"gallery{suffix}.png"))

    # gallery view browsed by handshape: the largest handshape cluster's chip clicked
    chips = gv.facet_chips
    wait(app, lambda: chips.facets is not None and bool(chips.facets.clusters), 60)
    if chips.facets is not None and chips.facets.clusters:
        chips.shape_group.button(chips.facets.clusters[0].id).click()
        wait(app, lambda: gv.proxy.rowCount() > 0, 5)
        gv.table.selectRow(0)
        wait(app, lambda: gv.player_view.has_frame, 20)
        wait(app, lambda: False, 1.0)
        window.grab().save(str(args.out / f"gallery_handshape{suffix}.png"))
        chips.reset()
        gv._apply_facets()

    # gloss look-up view
    window.tabs.setCurrentWidget(window.gloss_view)
    window.gloss_view.sentence.setText(SENTENCE)
    window.gloss_view.look_up()
    wait(
        app,
        lambda: (
            (bool(window.gloss_view.sequences) and bool(window.gloss_view.draft))
            or "available" in window.gloss_view.state_label.text()
            or window.banner.text() != ""
        ),
        120,
    )
    gloss = window.gloss_view
    # show a gloss whose sign the gallery holds, when one does: the draft's first
    for tokens in [gloss.draft, *(seq.tokens for seq in gloss.sequences)]:
        token = next((t for t in tokens if gloss._gallery_entry(t.lookup or t.gloss)), None)
        if token is not None:
            gloss.show_entry(token)
            wait(app, lambda: gloss.sign_view.has_frame, 20)
            break
    wait(app, lambda: False, 1.0)
    window.grab().save(str(args.out / f"gloss{suffix}.png"))
    window.close()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
