"""The TorchScript bundle: export equals eager, the loader refuses broken bundles, fusion, CLI."""

import json
import logging
import shutil

import numpy as np
import pytest
from conftest import fake_sequence

torch = pytest.importorskip("torch")

from signlookup.encoder import Embedder, FeatureEmbedder, load_default_embedder  # noqa: E402
from signlookup.encoder.bundle import (  # noqa: E402
    FusedEmbedder,
    ModelBundleError,
    TorchScriptEmbedder,
    load_bundled_embedder,
)
from signlookup.features import FRAME_DIM, canonical_poses, model_input  # noqa: E402
from training.sign_encoder.config import TrainConfig  # noqa: E402
from training.sign_encoder.data import PoseData  # noqa: E402
from training.sign_encoder.export import export_bundle  # noqa: E402
from training.sign_encoder.train import Encoder, feature_spec  # noqa: E402

TINY = dict(
    d_model=16, layers=1, heads=2, ff=32, embedding_size=8, length=16, tta_crops=[[0.0, 1.0]]
)


def _tiny_encoder(**over) -> tuple[Encoder, TrainConfig]:
    torch.manual_seed(0)
    cfg = TrainConfig(**{**TINY, **over})
    seqs = [fake_sequence(seed=s) for s in range(4)]
    pts, mask = canonical_poses(seqs, feature_spec(cfg))
    data = PoseData(pts, mask, np.array(["a", "a", "b", "b"]), np.array(["s"] * 4), np.arange(4))
    return Encoder(cfg, data), cfg


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    enc, cfg = _tiny_encoder()
    path = tmp_path_factory.mktemp("bundle") / "models" / "sign_encoder.pt"
    export_bundle(enc.model, cfg, path, ["fake"], {"open_set_map": 0.5})
    return path, enc, cfg


def _copy(bundle_path, tmp_path):
    dst = tmp_path / "models"
    dst.mkdir(parents=True)
    for suffix in (".pt", ".json"):
        shutil.copy(bundle_path.with_suffix(suffix), dst / f"sign_encoder{suffix}")
    return dst / "sign_encoder.pt"


@pytest.mark.parametrize("pooling", ["attention", "mean"])
def test_torchscript_equals_eager(pooling):
    enc, cfg = _tiny_encoder(pooling=pooling)
    model = enc.model.eval()
    scripted = torch.jit.script(model)
    x = torch.randn(3, cfg.length, FRAME_DIM)
    with torch.inference_mode():
        torch.testing.assert_close(scripted(x), model(x), atol=1e-5, rtol=1e-5)


def test_bundle_embeds_like_the_eager_model(bundle):
    path, enc, cfg = bundle
    emb = load_bundled_embedder(path, fusion=False)
    assert isinstance(emb, TorchScriptEmbedder) and isinstance(emb, Embedder)
    seqs = [fake_sequence(seed=7), fake_sequence(seed=8, frames=55)]
    got = emb.embed(seqs)
    with torch.inference_mode():
        want = enc.model(torch.from_numpy(model_input(*canonical_poses(seqs, feature_spec(cfg)))))
    np.testing.assert_allclose(got, want.numpy(), atol=1e-5)
    assert got.shape == (2, cfg.embedding_size)


def test_fused_vector_scores_the_weighted_sum_of_cosines(bundle):
    path, _, cfg = bundle
    fused = load_bundled_embedder(path)
    assert isinstance(fused, FusedEmbedder) and fused.weight == cfg.fusion_weight
    model = load_bundled_embedder(path, fusion=False)
    feats = FeatureEmbedder(feature_spec(cfg), time_crops=model.time_crops)
    a, b = [fake_sequence(seed=1)], [fake_sequence(seed=2, frames=50)]
    fa, fb = fused.embed(a), fused.embed(b)
    assert fa.shape == (1, fused.dim)
    np.testing.assert_allclose(np.linalg.norm(fa), 1, rtol=1e-5)
    w = cfg.fusion_weight
    expected = w * (model.embed(a) @ model.embed(b).T) + (1 - w) * (
        feats.embed(a) @ feats.embed(b).T
    )
    assert (fa @ fb.T).item() == pytest.approx(expected.item(), abs=1e-5)


def test_missing_model_falls_back_to_features_with_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        emb = load_default_embedder(tmp_path)
    assert isinstance(emb, FeatureEmbedder)
    assert "training-free" in caplog.text


def test_default_embedder_uses_a_bundle_when_present(bundle, tmp_path):
    _copy(bundle[0], tmp_path)
    emb = load_default_embedder(tmp_path)
    assert isinstance(emb, FusedEmbedder)


def test_corrupt_model_file_is_refused(bundle, tmp_path):
    path = _copy(bundle[0], tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelBundleError, match="does not match its sidecar"):
        load_default_embedder(tmp_path)


def test_truncated_model_with_matching_hash_is_refused_on_load(bundle, tmp_path):
    from signlookup.encoder.bundle import bundle_content_hash, file_sha256
    from signlookup.features import FeatureSpec

    path = _copy(bundle[0], tmp_path)
    path.write_bytes(path.read_bytes()[:500])
    meta = json.loads(path.with_suffix(".json").read_text())
    meta["model_sha256"] = file_sha256(path)
    meta["content_hash"] = bundle_content_hash(
        meta["model_sha256"], FeatureSpec.from_dict(meta["feature_spec"])
    )
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ModelBundleError, match="cannot load TorchScript"):
        load_bundled_embedder(path)


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda m: m.update(frame_dim=99), "expects feature groups"),
        (lambda m: m["feature_spec"].update(version=0), "features v0"),
        (lambda m: m.update(format_version=9), "unknown format"),
        (lambda m: m.pop("content_hash"), "lacks content_hash"),
        (lambda m: m.update(embedding_size=5), "declares 5"),
    ],
)
def test_mismatched_sidecar_is_refused(bundle, tmp_path, edit, message):
    path = _copy(bundle[0], tmp_path)
    side = path.with_suffix(".json")
    meta = json.loads(side.read_text())
    edit(meta)
    side.write_text(json.dumps(meta))
    with pytest.raises(ModelBundleError, match=message):
        load_bundled_embedder(path)


def test_missing_sidecar_and_bad_json_are_refused(bundle, tmp_path):
    path = _copy(bundle[0], tmp_path)
    path.with_suffix(".json").write_text("{not json")
    with pytest.raises(ModelBundleError, match="cannot read"):
        load_bundled_embedder(path)
    path.with_suffix(".json").unlink()
    with pytest.raises(ModelBundleError, match="no sidecar"):
        load_bundled_embedder(path)
    with pytest.raises(ModelBundleError, match="not found"):
        load_bundled_embedder(tmp_path / "nope.pt")


def _write_set(path, labels, seeds):
    X = np.stack([fake_sequence(seed=s).points for s in seeds]).astype(np.float16)
    np.savez_compressed(path, X=X, y=np.array(labels), seq=np.arange(len(labels)).astype(str))
    return path


def _run_cli(*args):
    """The eval sub-command in-process: (exit code, stdout, stderr) via capsys."""
    import argparse

    from signlookup.encoder.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    ns = parser.parse_args(list(args))
    return ns.func(ns)


@pytest.fixture(autouse=True)
def _no_bundled_model(monkeypatch, tmp_path):
    monkeypatch.setenv("SIGNLOOKUP_RESOURCES", str(tmp_path / "no_resources"))


def test_eval_cli_prints_one_json_line(tmp_path, bundle, capsys):
    g = _write_set(tmp_path / "g.npz", ["a", "b", "c"], [1, 2, 3])
    q = _write_set(tmp_path / "q.npz", ["a", "c"], [1, 3])
    assert _run_cli("eval", "--gallery", str(g), "--queries", str(q), "--features") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["hit@1"] == 1.0 and out["map"] == 1.0
    assert out["n_queries"] == 2 and out["n_gallery"] == 3
    assert {"hit@5", "hit@10", "hit@50", "mrr", "dcg"} <= set(out)
    assert out["unusable_queries"] == {"n": 0, "reasons": {}}
    # 3 entries: under the gallery metric's minimum, so the plain cosine (index/metric.py)
    assert out["gallery_metric"]["whitened_from"] == 0
    assert (
        _run_cli("eval", "--gallery", str(g), "--queries", str(q), "--model", str(bundle[0])) == 0
    )
    assert json.loads(capsys.readouterr().out)["scorer"].endswith("+features")
    assert _run_cli("eval", "--gallery", str(g), "--queries", str(q)) == 0  # no bundle: features
    assert json.loads(capsys.readouterr().out)["scorer"] == "features"
    assert "signer_session" not in out
    args = ("eval", "--gallery", str(g), "--queries", str(q), "--features", "--signer-session")
    assert _run_cli(*args) == 0
    assert json.loads(capsys.readouterr().out)["signer_session"]["size"] > 0


def test_eval_reports_each_signer_and_the_worst_when_the_queries_name_them(tmp_path, capsys):
    g = _write_set(tmp_path / "g.npz", ["a", "b", "c"], [1, 2, 3])
    q = tmp_path / "q.npz"
    X = np.stack([fake_sequence(seed=s).points for s in (1, 2, 3, 1)]).astype(np.float16)
    # signer "far" signs c with the seed of a: their look-up of c misses
    np.savez_compressed(q, X=X, y=np.array(["a", "b", "c", "c"]), seq=np.arange(4).astype(str),
                        signer=np.array(["near", "near", "near", "far"]))  # fmt: skip
    assert _run_cli("eval", "--gallery", str(g), "--queries", str(q), "--features") == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["per_signer"]) == {"near", "far"}
    assert out["per_signer"]["near"]["hit@1"] == 1.0 and out["per_signer"]["far"]["hit@1"] == 0.0
    assert out["worst_signer"]["signer"] == "far"
    assert out["worst_signer"]["map"] == out["per_signer"]["far"]["map"] < 1.0
    assert out["n_queries"] == 4 and out["hit@1"] == 0.75
    unnamed = _write_set(tmp_path / "q2.npz", ["a", "c"], [1, 3])  # no signer ids
    assert _run_cli("eval", "--gallery", str(g), "--queries", str(unnamed), "--features") == 0
    assert "per_signer" not in json.loads(capsys.readouterr().out)


def test_eval_cli_leaves_out_a_take_it_cannot_embed_and_says_so(tmp_path, capsys):
    g = _write_set(tmp_path / "g.npz", ["a", "b", "c"], [1, 2, 3])
    q = tmp_path / "q.npz"
    X = np.stack([fake_sequence(seed=s).points for s in (1, 3, 2)]).astype(np.float16)
    X[1] = 0  # nothing detected in any frame
    X[2, :, 11:13] = 0  # no shoulders: placed from the face and still scored
    np.savez_compressed(q, X=X, y=np.array(["a", "c", "b"]), seq=np.array(["0", "1", "2"]))
    assert _run_cli("eval", "--gallery", str(g), "--queries", str(q), "--features") == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["n_queries"] == 2 and out["hit@1"] == 1.0
    assert out["unusable_queries"]["n"] == 1
    assert "no body" in next(iter(out["unusable_queries"]["reasons"]))
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "q.npz" in err[0] and "left out 1 of 3 takes" in err[0]


def test_eval_honours_padding_lengths(tmp_path):
    from signlookup.encoder import FeatureEmbedder
    from signlookup.encoder.evaluate import embed_set
    from signlookup.pose import load_keypoint_set

    seqs = [fake_sequence(seed=s).points for s in (1, 2)]
    X = np.zeros((2, 60, 75, 3), np.float16)
    X[0, :40], X[1, :40] = seqs
    path = tmp_path / "padded.npz"
    labels = np.array(["a", "b"])
    np.savez_compressed(path, X=X, y=labels, seq=np.array(["0", "1"]), lengths=np.array([40, 40]))
    padded = embed_set(FeatureEmbedder(), load_keypoint_set(path))
    plain = embed_set(
        FeatureEmbedder(), load_keypoint_set(_write_set(tmp_path / "p.npz", labels, [1, 2]))
    )
    np.testing.assert_allclose(padded.vectors, plain.vectors, atol=1e-3)


def test_eval_cli_bad_input_is_one_line_and_nonzero(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    g = _write_set(tmp_path / "g.npz", ["a"], [1])
    for args in (["--gallery", str(bad), "--queries", str(g)],
                 ["--gallery", str(tmp_path / "none.npz"), "--queries", str(g)],
                 ["--gallery", str(g), "--queries", str(g), "--model", str(tmp_path / "x.pt")]):  # fmt: skip
        assert _run_cli("eval", *args) != 0
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("signlookup: error:")


def test_the_shipped_bundle_fuses_todays_features_and_an_older_sidecar_its_own(tmp_path):
    """The shipped sidecar was refreshed to today's feature spec (location path included,
    training.sign_encoder.export.refresh_feature_spec); a sidecar exported before a group existed
    weighs it 0, so its content hash and the galleries embedded with it stay valid."""
    import json
    import shutil

    from conftest import REPO, need

    from signlookup.encoder.bundle import bundle_content_hash, read_sidecar
    from signlookup.features import PATH_GROUP, FeatureSpec, pooled_dim
    from signlookup.features.frame import POOLED_DIMS

    path = need(REPO / "resources" / "models" / "sign_encoder.pt")
    meta = read_sidecar(path)  # checks sha256 and content_hash over the model + feature spec
    spec = FeatureSpec.from_dict(meta["feature_spec"])
    assert spec.to_dict() == FeatureSpec(length=spec.length).to_dict()
    assert PATH_GROUP in spec.weights
    emb = load_bundled_embedder(path)
    assert isinstance(emb, FusedEmbedder) and emb.feature_dim == pooled_dim(spec)

    older = dict(meta, feature_spec=dict(meta["feature_spec"]))
    older["feature_spec"]["weights"] = {k: w for k, w in spec.weights.items() if k != PATH_GROUP}
    old_spec = FeatureSpec.from_dict(older["feature_spec"])
    older["content_hash"] = bundle_content_hash(meta["model_sha256"], old_spec)
    shutil.copy(path, tmp_path / path.name)
    (tmp_path / path.name).with_suffix(".json").write_text(json.dumps(older))
    old = load_bundled_embedder(tmp_path / path.name)
    assert old.feature_dim == pooled_dim(old_spec) == emb.feature_dim - POOLED_DIMS[PATH_GROUP]
    assert old.content_hash != emb.content_hash
