"""No import circles inside ``signlookup``, lazy (function-level) imports included.

The layer contracts themselves (Qt only in the GUI, no ``training`` in the library, ...) live in
pyproject.toml under ``[tool.importlinter]`` and are checked by ``lint-imports`` in .ci/run.
"""

from __future__ import annotations

import grimp

#: Circles being removed elsewhere, each with why it is still here. Nothing else may be added.
KNOWN_CIRCLES = {
    # gallery/store.py and gallery/importer.py: being taken apart in the gallery-safety rework.
    frozenset({"signlookup.gallery.store", "signlookup.gallery.importer"}),
}


def import_circles(package: str = "signlookup") -> dict[frozenset[str], list[str]]:
    """Every direct import a -> b inside ``package`` for which b leads back to a, keyed by the
    modules of the shortest such circle, with that circle as a chain of module names."""
    graph = grimp.build_graph(package, cache_dir=None)  # grimp counts imports inside functions
    circles: dict[frozenset[str], list[str]] = {}
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                chain = [module, *back]
                circles.setdefault(frozenset(chain), chain)
    return circles


def test_the_circle_finder_sees_lazy_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "circ"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from circ import b\n")
    (pkg / "b.py").write_text("def later():\n    from circ import a\n")
    (pkg / "c.py").write_text("import circ.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert list(import_circles("circ").values()) == [["circ.a", "circ.b", "circ.a"]]


def test_signlookup_has_no_import_circles():
    found = {key: chain for key, chain in import_circles().items() if key not in KNOWN_CIRCLES}
    assert not found, "import circles: " + "; ".join(" -> ".join(c) for c in found.values())
