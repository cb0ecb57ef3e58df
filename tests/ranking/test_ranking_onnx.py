"""Tests the onnxruntime path of the packaged MiniLM against the torch path, and its graph cache."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

TEXTS = [
    "Senior Python backend engineer: Django, PostgreSQL, Kubernetes",
    "Pâtissier à Lyon, dix ans de viennoiserie",
    "QA",
    "Data engineer with Spark and Airflow. " * 60,  # longer than 256 tokens: truncated on both paths
    "Frontend developer (React, TypeScript) looking for remote work",
]


@pytest.fixture(scope="module")
def torch_minilm():
    from ranking.encoders import SentenceTransformerEncoder, build_encoder

    enc = build_encoder("default", device="cpu", runtime="torch")
    assert isinstance(enc, SentenceTransformerEncoder)
    return enc


def test_onnx_is_the_default_cpu_runtime_and_matches_torch(torch_minilm):
    from ranking.encoders import build_encoder
    from ranking.onnx_bert import OnnxBertEncoder

    onnx_enc = build_encoder("default", device="cpu")
    assert isinstance(onnx_enc, OnnxBertEncoder)
    assert onnx_enc.name == torch_minilm.name and onnx_enc.dim == torch_minilm.dim == 384  # one embedding cache
    a = onnx_enc.encode(TEXTS)
    b = torch_minilm.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384) and a.dtype == np.float32
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.98, cos  # the acceptance bound is 0.02; measured ≥ 0.99999
    # And the pairwise similarities the ranker uses agree too.
    assert np.abs(a @ a.T - b @ b.T).max() < 0.02
    # Order of the input does not matter (the batches are length-sorted inside).
    assert np.allclose(onnx_enc.encode(TEXTS[::-1])[::-1], a, atol=1e-5)


def test_onnx_path_never_imports_torch():
    code = ("import os, sys; os.environ['HF_HUB_OFFLINE']='1'; from ranking.encoders import build_encoder; "
            "e = build_encoder('default'); v = e.encode(['python developer']); "
            "bad = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
            "print(type(e).__name__, v.shape, bad); sys.exit(bool(bad) or v.shape != (1, 384))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OnnxBertEncoder" in proc.stdout


def test_a_damaged_cached_graph_is_rebuilt_not_used(tmp_path, monkeypatch):
    from ranking.encoders import default_model_path
    from ranking.onnx_bert import OnnxBertEncoder, ensure_graph, graph_path

    monkeypatch.setenv("SOURCING_MODEL_CACHE", str(tmp_path))
    folder = default_model_path()
    path = ensure_graph(folder)
    assert path == graph_path(folder) and path.parent == tmp_path
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # a torn write
    assert ensure_graph(folder) == path and path.read_bytes() == good
    v = OnnxBertEncoder(folder).encode(["python developer"])
    assert v.shape == (1, 384) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5


def test_runtime_setting_is_checked(tmp_path):
    from ranking.encoders import SentenceTransformerEncoder, build_encoder
    from sourcing.errors import ConfigError

    assert isinstance(build_encoder("default", runtime="torch"), SentenceTransformerEncoder)
    assert isinstance(build_encoder("default", device="cuda"), SentenceTransformerEncoder)  # GPUs keep torch
    with pytest.raises(ConfigError, match="runtime 'tpu'"):
        build_encoder("default", runtime="tpu")
    folder = tmp_path / "other-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    assert isinstance(build_encoder(str(folder)), SentenceTransformerEncoder)  # not BERT/mean pooling: torch
    with pytest.raises(ConfigError, match="not a BERT model"):
        build_encoder(str(folder), runtime="onnx")
