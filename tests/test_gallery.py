"""Gallery store: add/rename/delete round-trips, import/export, repair on open, stale encoders."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, fake_sequence, write_video

from signlookup.gallery import (
    Gallery,
    GalleryError,
    export_gallery,
    import_folder,
    parse_filename,
)
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.gallery.folder import INDEX_NAME, MEDIA, QUARANTINE, STAGING_PREFIX
from signlookup.index import FaissIndex
from signlookup.pose import save_npz
from signlookup.pose.layout import RIGHT_HAND, point


def sign(seed: int, frames: int = 30):
    """A synthetic sign; different seeds move the right hand along different paths."""
    seq = fake_sequence(frames, seed=seed)
    rng = np.random.default_rng(seed)
    drift = rng.normal(0, 0.08, (1, 2)) * np.linspace(0, 1, frames)[:, None]
    idx = [point("RIGHT_WRIST"), *range(RIGHT_HAND.start, RIGHT_HAND.stop)]
    seq.points[:, idx, :2] += drift[:, None, :]
    return seq


class OtherEmbedder(PoseBaselineEmbedder):
    """The same vectors under another hash, and counting calls: a 'new model' for the gallery."""

    name = "other"
    content_hash = "other-encoder-v2"
    calls = 0

    def embed(self, sequences):
        OtherEmbedder.calls += len(sequences)
        return super().embed(sequences)


class CountingEmbedder(PoseBaselineEmbedder):
    """PoseBaselineEmbedder itself (same hash), counting the clips it is asked to embed."""

    calls = 0

    def embed(self, sequences):
        CountingEmbedder.calls += len(sequences)
        return super().embed(sequences)


def no_extraction(path: Path):
    raise AssertionError(f"MediaPipe must not run here ({path})")


@pytest.fixture
def gallery(tmp_path):
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        yield g


def test_add_search_rename_delete_round_trip(tmp_path, gallery):
    video = write_video(tmp_path / "clip.mp4", [np.full((48, 64, 3), 80, np.uint8)] * 30)
    a = gallery.add(gloss=" Café ", video=video, pose=sign(1), language="Libras", source="uf")
    b = gallery.add(gloss="pai", pose=sign(2), signer="S1")
    assert a.gloss == "Café" and a.video_path.is_file() and a.pose_path.is_file()
    assert a.thumbnail_path.read_bytes()[:4] == b"\x89PNG" and b.thumbnail_path.is_file()
    assert b.video_path is None and a.encoder_hash == PoseBaselineEmbedder.content_hash
    assert [e.gloss for e in gallery.entries()] == ["Café", "pai"]

    vec = PoseBaselineEmbedder().embed([sign(2)])
    assert gallery.search_vectors(vec, 1)[1][0, 0] == b.id

    assert gallery.rename(b.id, "PAI").gloss == "PAI"
    trashed = gallery.delete(a.id)
    assert not a.folder.exists() and len(gallery) == 1 and trashed.video_path.is_file()
    with pytest.raises(GalleryError, match="no entry"):
        gallery.get(a.id)
    gallery.close()

    with Gallery.open(tmp_path / "g", PoseBaselineEmbedder()) as again:
        assert [(e.id, e.gloss) for e in again.entries()] == [(b.id, "PAI")]
        assert not again.repair, again.repair  # clean close: nothing to repair or rebuild
        assert again.search_vectors(vec, 2)[1][0].tolist() == [b.id, -1]
        c = again.add(gloss="novo", pose=sign(3))
        assert c.id > a.id  # ids are never reused: an old index file can't alias a new entry


def test_bad_input_is_a_gallery_error(tmp_path, gallery):
    with pytest.raises(GalleryError, match="not a gallery"):
        Gallery.open(tmp_path / "nothing")
    with pytest.raises(GalleryError, match="gloss is required"):
        gallery.add(gloss="  ", pose=sign(1))
    with pytest.raises(GalleryError, match="not found"):
        gallery.add(gloss="x", video=tmp_path / "missing.mp4")
    with pytest.raises(GalleryError, match="cannot edit"):
        gallery.update(1, embedding="x")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "gallery.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(GalleryError, match="not a readable gallery"):
        Gallery.open(tmp_path / "junk")


def test_missing_or_corrupt_index_is_rebuilt_from_stored_embeddings(tmp_path, gallery):
    ids = [gallery.add(gloss=f"s{i}", pose=sign(i)).id for i in range(6)]
    gallery.close()
    index_file = tmp_path / "g" / INDEX_NAME
    for damage, reason in (
        (lambda: index_file.unlink(), "missing"),
        (lambda: index_file.write_bytes(index_file.read_bytes()[:-50]), "unreadable"),
        (lambda: index_file.write_bytes(b"\0" * 64), "unreadable"),
    ):
        damage()
        CountingEmbedder.calls = 0
        with Gallery.open(tmp_path / "g", CountingEmbedder()) as g:
            assert reason in g.repair.index_rebuilt and g.repair.reembedded == 0
            assert CountingEmbedder.calls == 0  # rebuilt from the stored vectors, none re-embedded
            found = g.search_vectors(PoseBaselineEmbedder().embed([sign(4)]), 1)[1][0, 0]
            assert found == ids[4]
        FaissIndex.load(index_file)  # a good file again


def test_index_out_of_step_is_rebuilt(tmp_path, gallery):
    gallery.add(gloss="a", pose=sign(1))
    gallery.close()
    stale = (tmp_path / "g" / INDEX_NAME).read_bytes()
    with Gallery.open(tmp_path / "g", PoseBaselineEmbedder()) as g:
        g.add(gloss="b", pose=sign(2))
    (tmp_path / "g" / INDEX_NAME).write_bytes(stale)  # a crash before the index was saved
    with Gallery.open(tmp_path / "g", PoseBaselineEmbedder()) as g:
        assert "out of step" in g.repair.index_rebuilt and len(g.index) == 2


def test_stale_encoder_re_embeds_from_cached_poses(tmp_path, gallery):
    for i in range(5):
        gallery.add(gloss=f"s{i}", pose=sign(i))
    gallery.close()
    OtherEmbedder.calls = 0
    with Gallery.open(tmp_path / "g", OtherEmbedder()) as g:  # no extract: poses are cached
        assert g.repair.reembedded == 5 and OtherEmbedder.calls == 5
        assert g.repair.index_rebuilt == "encoder changed"
        assert {e.encoder_hash for e in g.entries()} == {"other-encoder-v2"}
    OtherEmbedder.calls = 0
    with Gallery.open(tmp_path / "g", OtherEmbedder()) as g:
        assert OtherEmbedder.calls == 0 and not g.repair


def test_read_only_gallery_re_embeds_in_memory(tmp_path, gallery):
    gallery.add(gloss="a", pose=sign(1))
    gallery.close()
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "g").rglob("*")}
    with Gallery.open(tmp_path / "g", OtherEmbedder(), read_only=True) as g:
        assert g.read_only and len(g.index) == 1 and g.repair.reembedded == 1
        with pytest.raises(GalleryError, match="read-only"):
            g.add(gloss="b", pose=sign(2))
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "g").rglob("*")} == before


def test_open_removes_only_its_own_debris_and_keeps_everything_else(tmp_path, gallery):
    keep = gallery.add(gloss="keep", pose=sign(1))
    lost = gallery.add(gloss="lost", pose=sign(2))
    gallery.close()
    root = tmp_path / "g"
    (root / MEDIA / f"{STAGING_PREFIX}abc").mkdir()  # a dead writer's staging copy
    (root / MEDIA / "feedfeed").mkdir()  # crash after the rename, before the row
    (root / f".{INDEX_NAME}.x.tmp").write_bytes(b"half")  # crash while saving the index
    os.rename(lost.folder, root / "elsewhere")  # files gone under a committed row
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        assert [e.id for e in g.entries()] == [keep.id, lost.id]  # the row is kept ...
        assert g.get(lost.id).missing and not g.get(keep.id).missing  # ... shown as missing
        assert g.repair.removed_staging == [f"{STAGING_PREFIX}abc"]
        assert g.repair.quarantined == ["feedfeed"] and g.repair.removed_temp_files
        assert "lost" in g.repair.missing[0] and any("missing" in x for x in g.repair.lines())
        assert sorted(g.index.ids().tolist()) == [keep.id, lost.id]  # its vector still searches
    assert (root / QUARANTINE / "feedfeed").is_dir()  # moved aside, not deleted
    assert sorted(p.name for p in (root / MEDIA).iterdir()) == [keep.folder.name]
    os.rename(root / "elsewhere", lost.folder)  # the files come back: so does the entry
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        assert not g.get(lost.id).missing and not g.repair.missing


def test_full_disk_while_adding_leaves_the_gallery_as_it_was(tmp_path, gallery, monkeypatch):
    gallery.add(gloss="a", pose=sign(1))
    import signlookup.gallery.store as store

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "thumbnail_png", disk_full)
    with pytest.raises(GalleryError, match=r"gallery .*/g: the disk holding the gallery is full"):
        gallery.add(gloss="b", pose=sign(2))
    assert [e.gloss for e in gallery.entries()] == ["a"] and len(gallery.index) == 1
    assert len(list((tmp_path / "g" / MEDIA).iterdir())) == 1


_WRITER = textwrap.dedent(
    """
    import sys
    from test_gallery import sign
    from signlookup.gallery import Gallery
    from signlookup.gallery.baseline import PoseBaselineEmbedder
    with Gallery.create(sys.argv[1], PoseBaselineEmbedder()) as g:
        for i in range(10_000):
            g.add(gloss=f"s{i}", pose=sign(i, frames=60))
            if i % 3 == 0:
                g.delete(g.entries()[0].id)
            print(i, flush=True)
    """
)


def test_killed_writer_leaves_a_consistent_gallery(tmp_path):
    root = tmp_path / "g"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO)])}
    for delay in (0.0, 0.013, 0.037):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(root)], stdout=subprocess.PIPE, env=env, text=True
        )
        for _ in range(4):  # let it get going, then kill it at an arbitrary moment
            assert proc.stdout.readline(), "writer died"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with Gallery.open(root, PoseBaselineEmbedder()) as g:
            entries = g.entries()
            assert entries and all(
                e.pose_path.is_file() and e.thumbnail_path.is_file() for e in entries
            )
            assert sorted(g.index.ids().tolist()) == sorted(e.id for e in entries)
            folders = {p.name for p in (root / MEDIA).iterdir()}
            assert folders == {e.folder.name for e in entries}
            assert not list(root.rglob("*.tmp"))


def test_import_folder_by_filename_then_skip_duplicates(tmp_path, gallery):
    src = tmp_path / "videos"
    src.mkdir()
    for i, name in enumerate(("café_uf_3.mp4", "pai_ne_1.mp4", "Olá mundo.mp4")):
        write_video(src / name, [np.full((40, 40, 3), 60 * i, np.uint8)] * 12)
    save_npz(sign(7), src / "casa_vl_6.npz")  # keypoints only
    (src / "notes.txt").write_text("not a clip")
    poses = {name: sign(i) for i, name in enumerate(("café_uf_3", "pai_ne_1", "Olá mundo"))}
    seen = []

    def fake_extract(path: Path):
        seen.append(path.name)
        return poses[path.stem]

    report = import_folder(gallery, src, language="Libras", extract=fake_extract)
    assert not report.failed and len(report.added) == 4
    by_gloss = {e.gloss: e for e in gallery.entries()}
    assert set(by_gloss) == {"café", "pai", "Olá mundo", "casa"}
    assert by_gloss["café"].source == "uf" and "UFV" in by_gloss["café"].attribution
    assert by_gloss["casa"].video_path is None and by_gloss["pai"].language == "Libras"
    again = import_folder(gallery, src, extract=fake_extract)
    assert len(again.skipped) == 4 and not again.added and len(seen) == 3


def test_import_reports_bad_files_and_goes_on(tmp_path, gallery):
    src = tmp_path / "videos"
    src.mkdir()
    (src / "broken_xx_1.mp4").write_bytes(b"garbage")
    save_npz(sign(1), src / "ok_xx_1.npz")
    (src / "list.csv").write_text(
        "file,gloss,signer\nbroken_xx_1.mp4,quebrado,\nok_xx_1.npz,certo,Ana\nnope.mp4,x,\n"
    )
    report = import_folder(gallery, src, csv_path=src / "list.csv")
    assert [e.gloss for e in report.added] == ["certo"] and report.added[0].signer == "Ana"
    assert {name for name, _ in report.failed} == {"broken_xx_1.mp4", "nope.mp4"}


def test_export_imports_back_without_mediapipe(tmp_path, gallery):
    video = write_video(tmp_path / "clip.mp4", [np.full((48, 64, 3), 50, np.uint8)] * 20)
    gallery.add(gloss="café", video=video, pose=sign(1), language="Libras", signer="A")
    gallery.add(gloss="pai", pose=sign(2), source="ne", attribution="INES")
    out = export_gallery(gallery, tmp_path / "export")
    assert (out / "gallery.csv").is_file()
    with Gallery.create(tmp_path / "copy", PoseBaselineEmbedder()) as copy:
        report = import_folder(copy, out, csv_path=out / "gallery.csv", extract=no_extraction)
        assert not report.failed, report.failed
        got = {
            (e.gloss, e.language, e.source, e.attribution, e.signer, e.video_path is None)
            for e in copy.entries()
        }
    assert got == {("café", "Libras", "", "", "A", False), ("pai", "", "ne", "INES", "", True)}


def test_parse_filename():
    assert parse_filename(Path("café_uf_3.mp4")) == ("café", "uf")
    assert parse_filename(Path("bom_dia_vl_12.mp4")) == ("bom dia", "vl")
    assert parse_filename(Path("obrigado.mp4")) == ("obrigado", "")
    assert parse_filename(Path("oi_2.mp4")) == ("oi", "")  # a take number is not the sign
    assert parse_filename(Path("bom dia-3.mp4")) == ("bom dia", "")
