"""The facet panel: handshape chips from the gallery's inventory, place chips that re-rank the
result cards, the query's own facets suggested, and the no-close-match banner."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from test_facets import posed

pytest.importorskip("pytestqt")

from signlookup.gallery import Gallery
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.gui.facets import ANY, FacetPanel, HandshapeChip
from signlookup.gui.gallery_model import EntryRole
from signlookup.gui.results_model import ResultCard
from signlookup.gui.services import GalleryHandle
from signlookup.gui.workers import RequestWorker
from signlookup.search import Searcher

PLACES = [((0.5, 0.22), 1), ((0.5, 0.05), 1), ((0.47, 0.45), 2), ((0.3, 0.62), 2), ((0.49, 0.2), 3)]


@pytest.fixture
def searcher(tmp_path):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        for i, (at, shape) in enumerate(PLACES):
            g.add(gloss=f"s{i}", pose=posed(at, seed=i, shape_seed=shape))
    with Searcher.open(tmp_path / "g", PoseBaselineEmbedder()) as s:
        yield s


@pytest.fixture
def handle(searcher):
    """The app's gallery handle on its request worker (the one worker model), joined after."""
    requests = RequestWorker()
    gallery = GalleryHandle(services=None, requests=requests)
    gallery.searcher = searcher
    yield gallery
    assert requests.join(5000)


def _panel(qtbot, handle, query_seq):
    controller = SimpleNamespace(gallery=handle, query=SimpleNamespace(trimmed=query_seq))
    panel = FacetPanel(controller)
    qtbot.addWidget(panel)
    cards = [ResultCard(r, None) for r in handle.searcher.search(query_seq, k=5)]
    return panel, cards


def test_chips_suggest_the_query_facets_and_rerank_the_cards(qtbot, searcher, handle):
    query = posed((0.5, 0.05), seed=1, shape_seed=1)  # the gallery's own "s1" (head)
    panel, cards = _panel(qtbot, handle, query)
    with qtbot.waitSignal(panel.computed, timeout=10_000):
        panel.on_results(cards)
    assert panel.isEnabled() and panel.verdict.close_match
    chips = [b for b in panel.shape_group.buttons() if isinstance(b, HandshapeChip)]
    assert len(chips) == len(searcher.facets().clusters) >= 2
    assert [c for c in chips if c.suggested] and panel.place_buttons["head"].styleSheet()
    chips[0].grab()  # paints without error

    with qtbot.waitSignal(panel.reordered) as got:
        panel.place_buttons["chest"].click()
    reordered = got.args[0]
    assert reordered[0].gloss == "s2" and [c.result.rank for c in reordered] == [1, 2, 3, 4, 5]
    assert sorted(c.gloss for c in reordered) == sorted(c.gloss for c in cards)
    assert panel.selection() == (None, "chest")
    with qtbot.waitSignal(panel.reordered) as got:
        panel.place_group.button(ANY).click()
    assert [c.gloss for c in got.args[0]] == [c.gloss for c in cards]
    panel.shutdown()


def test_banner_when_the_query_is_far_from_every_sign(qtbot, searcher, handle):
    query = posed((0.45, 0.35), seed=8, shape_seed=9)  # a place and a hand no entry has
    panel, cards = _panel(qtbot, handle, query)
    assert cards[0].score < searcher.calibration().threshold
    with qtbot.waitSignal(panel.banner, timeout=10_000) as got:
        panel.on_results(cards)
    assert got.args[0].startswith("No close match in this gallery")
    assert all(c.gloss in got.args[0] for c in cards[:3])
    assert not panel.verdict.close_match
    panel.shutdown()


def test_only_the_newest_results_reach_the_panel(qtbot, searcher, handle):
    """Two searches in a row: the first answer is superseded, the slot runs on the GUI thread."""
    import threading

    panel, cards = _panel(qtbot, handle, posed((0.5, 0.05), seed=1, shape_seed=1))
    seen = []
    panel.computed.connect(lambda: seen.append(threading.current_thread()))
    with qtbot.waitSignal(panel.computed, timeout=10_000):
        panel.on_results(cards)
        panel.on_results(cards[::-1])
    qtbot.wait(200)
    assert seen == [threading.main_thread()]
    assert panel._cards[0].gloss == cards[-1].gloss
    panel.shutdown()


def test_gallery_view_browses_by_handshape_and_place(qtbot, make_window, gallery_dir, tmp_path):
    """The gallery tab's chips filter its table to the entries of one handshape / place."""
    import shutil

    window = make_window(shutil.copytree(gallery_dir, tmp_path / "gallery"))
    view = window.gallery_view
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.facet_chips.facets is not None, timeout=60_000)
    chips = view.facet_chips
    facets = chips.facets
    everything = sorted(view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount()))
    assert len(everything) == len(window.gallery.entries) == 4

    def shown() -> list[int]:
        return sorted(
            view.proxy.index(r, 0).data(EntryRole).id for r in range(view.proxy.rowCount())
        )

    handshape_chips = [b for b in chips.shape_group.buttons() if isinstance(b, HandshapeChip)]
    assert len(handshape_chips) == len(facets.clusters) >= 1
    chip = handshape_chips[0]
    chip.click()
    cluster = chips.shape_group.id(chip)
    expected = sorted(e.id for e in window.gallery.entries if facets.handshape_of(e.id) == cluster)
    assert shown() == expected and 0 < len(expected) < 4

    chips.shape_group.button(ANY).click()
    region = facets.region_of(window.gallery.entries[0].id)
    chips.place_buttons[region].click()
    expected = sorted(e.id for e in window.gallery.entries if facets.region_of(e.id) == region)
    assert shown() == expected and expected
    for other in (r for r in chips.place_buttons if r != region):  # a place nobody has: empty
        if not any(facets.region_of(e.id) == other for e in window.gallery.entries):
            chips.place_buttons[other].click()
            assert shown() == []
            break
    chips.place_group.button(ANY).click()
    assert len(shown()) == 4
