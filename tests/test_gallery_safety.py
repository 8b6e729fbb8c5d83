"""Nothing a user made is lost: damaged databases, missing media, concurrent writers, the trash."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, write_video
from test_gallery import sign

from signlookup.files import file_sha256
from signlookup.gallery import (
    Gallery,
    GalleryBusyError,
    GalleryDamagedError,
    GalleryError,
    import_folder,
)
from signlookup.gallery.baseline import PoseBaselineEmbedder
from signlookup.gallery.folder import DB_NAME, MEDIA, STAGING_PREFIX, TRASH
from signlookup.gallery.lock import LOCK_NAME


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under media/ and trash/ with its bytes: what a user must never lose."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for sub in (MEDIA, TRASH)
        for p in sorted((root / sub).rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def made(tmp_path) -> tuple[Path, list[int]]:
    """A closed gallery of three signs, one with a video."""
    root = tmp_path / "g"
    video = write_video(tmp_path / "clip.mp4", [np.full((40, 48, 3), 90, np.uint8)] * 12)
    with Gallery.create(root, PoseBaselineEmbedder()) as g:
        ids = [
            g.add(gloss="café", pose=sign(1), video=video).id,
            g.add(gloss="pai", pose=sign(2)).id,
            g.add(gloss="casa", pose=sign(3)).id,
        ]
    return root, ids


def searches_every_entry(root: Path, ids: list[int]) -> None:
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        assert sorted(e.id for e in g.entries()) == sorted(ids)
        for i, seed in zip(ids, (1, 2, 3), strict=False):
            vec = PoseBaselineEmbedder().embed([sign(seed)])
            assert g.search_vectors(vec, 1)[1][0, 0] == i


@pytest.mark.parametrize("how", ["empty", "deleted", "garbage", "truncated", "no rows"])
def test_a_lost_database_is_damage_and_nothing_changes(made, how):
    root, ids = made
    db = root / DB_NAME
    saved = db.read_bytes()
    before = snapshot(root)
    if how == "empty":
        db.write_bytes(b"")
    elif how == "deleted":
        db.unlink()
    elif how == "garbage":
        db.write_bytes(b"this is not sqlite" * 100)
    elif how == "truncated":
        db.write_bytes(saved[:1000])
    else:
        with sqlite3.connect(db) as con:
            con.execute("DELETE FROM entries")
    damaged = db.read_bytes() if db.exists() else None
    for opener in (Gallery.open, Gallery.create):
        with pytest.raises(GalleryDamagedError, match="nothing was changed"):
            opener(root, PoseBaselineEmbedder())
        with pytest.raises(GalleryDamagedError):
            opener(root)  # without an embedder (gallery list) too
    assert snapshot(root) == before
    assert (db.read_bytes() if db.exists() else None) == damaged
    if how != "no rows":
        db.write_bytes(saved)  # the backup comes back: so does every sign
        searches_every_entry(root, ids)


def test_recover_rebuilds_the_database_from_the_sign_folders(made):
    root, _ = made
    (root / DB_NAME).write_bytes(b"")
    with Gallery.recover(root, embedder=PoseBaselineEmbedder()) as g:
        assert sorted(e.gloss for e in g.entries()) == ["café", "casa", "pai"]
        assert sum(e.video_path is not None for e in g.entries()) == 1
        assert g.repair.recovered and len(g.index) == 3
    assert list(root.glob(f"{DB_NAME}.damaged-*"))  # the damaged file is kept


def test_missing_media_folder_is_damage_until_it_comes_back(made):
    root, ids = made
    before = snapshot(root)
    os.rename(root / MEDIA, root / "media-elsewhere")  # a drive not yet mounted
    for _ in range(2):
        with pytest.raises(GalleryDamagedError, match="media/ folder is missing"):
            Gallery.open(root, PoseBaselineEmbedder())
    (root / MEDIA).mkdir()  # an empty mount point
    with Gallery.open(root) as g:  # every row kept and shown as missing
        assert all(e.missing for e in g.entries()) and len(g.repair.missing) == 3
    (root / MEDIA).rmdir()
    os.rename(root / "media-elsewhere", root / MEDIA)
    assert snapshot(root) == before
    searches_every_entry(root, ids)


def test_delete_goes_to_the_trash_and_restore_brings_it_back(made):
    root, ids = made
    before = snapshot(root)
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        gone = g.delete(ids[0])
        assert gone.deleted_at and gone.video_path.is_file() and gone.folder.parent.name == TRASH
        assert ids[0] not in [e.id for e in g.entries()] and len(g) == 2
        assert [e.id for e in g.trashed()] == [ids[0]]
        assert ids[0] not in g.index.ids().tolist()
        with pytest.raises(GalleryError, match="no entry"):
            g.get(ids[0])
    with Gallery.open(root, PoseBaselineEmbedder()) as g:  # the trash survives a reopen
        back = g.restore(ids[0])
        assert back.gloss == "café" and not back.missing and not g.trashed()
        with pytest.raises(GalleryError, match="not in the trash"):
            g.restore(ids[0])
    assert snapshot(root) == before
    searches_every_entry(root, ids)
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        g.delete(ids[1])
        assert g.empty_trash() == 1  # the one explicit, permanent removal
        assert not g.trashed() and len(g) == 2 and not (root / TRASH / "x").exists()


def test_a_delete_interrupted_before_its_move_is_finished_on_open(made):
    root, ids = made
    with sqlite3.connect(root / DB_NAME) as con:  # committed, then the process died
        con.execute("UPDATE entries SET deleted_at = '2026-01-01' WHERE id = ?", (ids[1],))
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        assert g.repair.finished_deletes and [e.id for e in g.trashed()] == [ids[1]]
        assert not g.trashed()[0].missing and g.restore(ids[1]).gloss == "pai"


def test_schema_1_galleries_gain_a_trash(made):
    root, ids = made
    with sqlite3.connect(root / DB_NAME) as con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(entries)") if r[1] != "deleted_at"]
        con.execute(f"CREATE TABLE old AS SELECT {', '.join(cols)} FROM entries")
        con.execute("DROP TABLE entries")
        con.execute("ALTER TABLE old RENAME TO entries")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Gallery.open(root, read_only=True) as g:  # read-only: no migration, still lists
        assert len(g.entries()) == 3 and g.trashed() == []
    with Gallery.open(root, PoseBaselineEmbedder()) as g:
        g.delete(ids[2])
        assert len(g) == 2 and g.trashed()[0].id == ids[2]


_HOLD_LOCK = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.makedirs(sys.argv[2])  # a writer's staging folder, mid-copy
    print("locked", flush=True)
    time.sleep(float(sys.argv[3]))
    os.rmdir(sys.argv[2])
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="the helper process uses fcntl")
def test_a_second_process_waits_for_the_writer_instead_of_repairing_under_it(made):
    root, _ = made
    staging = root / MEDIA / f"{STAGING_PREFIX}live"
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(root / LOCK_NAME), str(staging), "1.0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "locked"
    told: list[str] = []
    start = time.monotonic()
    with Gallery.open(root, on_wait=told.append) as g:
        waited = time.monotonic() - start
        assert not g.repair.removed_staging  # the live writer's folder was left alone
    writer.wait(timeout=30)
    assert told and "waiting for another signlookup" in told[0] and waited > 0.3
    assert writer.returncode == 0  # it finished its own work (its folder was still there)


@pytest.mark.skipif(sys.platform == "win32", reason="the helper process uses fcntl")
def test_a_writer_that_never_finishes_gives_one_clear_error(made):
    root, _ = made
    staging = root / MEDIA / f"{STAGING_PREFIX}stuck"
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(root / LOCK_NAME), str(staging), "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        with pytest.raises(GalleryBusyError, match="nothing was changed"):
            Gallery.open(root, wait_s=0.3)
        assert staging.is_dir()
    finally:
        writer.kill()
        writer.wait()
    with Gallery.open(root) as g:  # the writer is gone: now its staging folder is debris
        assert g.repair.removed_staging == [staging.name] and not staging.exists()


def test_sqlite_lock_held_by_another_program_is_busy_not_a_traceback(made):
    root, ids = made
    other = sqlite3.connect(root / DB_NAME)
    other.execute("BEGIN EXCLUSIVE")
    try:
        g = Gallery.open(root, PoseBaselineEmbedder(), read_only=False)
    except GalleryBusyError:
        g = None  # refused at open: also one clear line
    if g is not None:
        import signlookup.gallery.store as store

        store.SQLITE_WAIT_S, saved = 0.2, store.SQLITE_WAIT_S
        g._db.execute("PRAGMA busy_timeout = 200")
        try:
            with pytest.raises(GalleryBusyError, match="locked by another program"):
                g.rename(ids[0], "x")
        finally:
            store.SQLITE_WAIT_S = saved
    other.rollback()
    other.close()
    if g is not None:
        assert g.rename(ids[0], "x").gloss == "x"
        g.close()


def test_add_of_a_folder_says_so(made, tmp_path):
    root, _ = made
    with (
        Gallery.open(root) as g,
        pytest.raises(GalleryError, match="is a folder; add takes one video file"),
    ):
        g.add(gloss="x", video=tmp_path)


def test_an_import_list_stays_inside_its_folder(tmp_path, monkeypatch):
    src = tmp_path / "videos"
    src.mkdir()
    outside = tmp_path / "secret.npz"
    outside.write_bytes(b"not for you")
    from signlookup.pose import save_npz

    save_npz(sign(1), src / "ok.npz")
    (src / "list.csv").write_text(
        f"file,gloss\nok.npz,certo\n../secret.npz,a\n{outside},b\n", encoding="utf-8"
    )
    hashed: list[Path] = []
    import signlookup.gallery.importer as importer

    monkeypatch.setattr(importer, "file_sha256", lambda p: hashed.append(p) or file_sha256(p))
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as g:
        report = import_folder(g, src, csv_path=src / "list.csv")
        assert [e.gloss for e in report.added] == ["certo"]
        assert len(report.failed) == 2 and all("outside" in why for _, why in report.failed)
        assert [p.name for p in hashed] == ["ok.npz"]  # the outside files were never read
        again = import_folder(g, src, csv_path=src / "list.csv", allow_outside=True)
        assert len(again.failed) == 2 and "outside" not in again.failed[0][1]


def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "signlookup", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_cli_reports_damage_in_one_line_and_restores_from_the_trash(made):
    root, _ = made
    (root / DB_NAME).write_bytes(b"")
    before = snapshot(root)
    listed = _cli("gallery", "list", str(root))
    assert listed.returncode != 0 and "Traceback" not in listed.stderr
    assert len(listed.stderr.strip().splitlines()) == 1 and "damaged gallery" in listed.stderr
    assert snapshot(root) == before
    recovered = _cli("gallery", "recover", str(root))
    assert recovered.returncode == 0, recovered.stderr
    assert "recovered 3 sign(s)" in recovered.stdout + recovered.stderr
    listed = _cli("gallery", "list", str(root), "--json")
    import json

    entries = json.loads(listed.stdout)["entries"]
    first = str(entries[0]["id"])
    deleted = _cli("gallery", "delete", str(root), first)
    assert deleted.returncode == 0 and "restore" in deleted.stdout
    assert first in _cli("gallery", "trash", str(root)).stdout
    restored = _cli("gallery", "restore", str(root), first)
    assert restored.returncode == 0, restored.stderr
    assert len(json.loads(_cli("gallery", "list", str(root), "--json").stdout)["entries"]) == 3
