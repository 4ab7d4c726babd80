"""`_input_hash` and `_task_hash`: deterministic signed 32-bit integers, like Prodigy's.

Real Prodigy hashes with MurmurHash3; so does this (x86, 32-bit, seed 0, written out
because mmh3 is not in the standard library), over canonical JSON of the fields below.
The keys are Prodigy's defaults for `prodigy.set_hashes` (prodi.gy/docs/api-components,
"set_hashes": `input_keys` text, image, html, input; `task_keys` spans, label, options),
plus `arcs`, as CONTRACTS §C lists them.

* Input hash: the input fields present; a task with none of them is hashed over all its
  plain fields except meta and Prodigy's own.
* Task hash: the input hash plus the task's *pre-set* spans, label, options and arcs. It is
  set when the task enters the stream and never recomputed when someone annotates it
  (prodi.gy/docs/api-loaders, "Hashing": the task hash identifies the question asked;
  support.prodi.gy/t/difference-between-input-hash-and-task-hash/3220). Two annotators who
  mark different spans on one incoming task therefore share its task hash.
* Annotation hash: what an annotator did (spans as start/end/label or a box's label and
  points, `accept` as a set, relations, a binary answer's label). Only the review recipe
  tells versions apart this way (prodi.gy/docs/review: versions are grouped by content).
"""

import hashlib
import json

INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
ANNOTATION_KEYS = ("spans", "accept", "relations", "label")
# Never part of a fallback input hash: metadata, the annotation and Prodigy's own fields.
_NOT_INPUT = set(TASK_KEYS) | set(ANNOTATION_KEYS) | {
    "meta", "answer", "flagged", "tokens", "versions", "sessions", "view_id", "config",
    "score", "priority", "rank", "model", "source",
}
# Span fields that make a span what it is (offsets and geometry), not how it was drawn.
_SPAN_KEYS = ("start", "end", "label", "points", "type")
_RELATION_KEYS = ("head", "child", "label")
# Beyond this, hash a SHA-256 digest of the bytes: a data: URI image would be slow in pure Python.
_DIRECT_LIMIT = 4096


def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 x86_32 as a signed int (what mmh3.hash returns)."""
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & 0xFFFFFFFF
    blocks = len(data) // 4
    for i in range(0, blocks * 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        k = (k * c2) & 0xFFFFFFFF
        h ^= k
        h = ((h << 13) | (h >> 19)) & 0xFFFFFFFF
        h = (h * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = data[blocks * 4:]
    k = 0
    if len(tail) >= 3:
        k ^= tail[2] << 16
    if len(tail) >= 2:
        k ^= tail[1] << 8
    if tail:
        k ^= tail[0]
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        k = (k * c2) & 0xFFFFFFFF
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _hash(value) -> int:
    data = canonical(value)
    if len(data) > _DIRECT_LIMIT:
        data = hashlib.sha256(data).digest()
    return murmurhash3_32(data)


def _as_set(items, keys):
    """A list compared as a set: reduced to the identifying keys, sorted canonically."""
    if not isinstance(items, list):
        return items
    reduced = []
    for item in items:
        if isinstance(item, dict):
            reduced.append({key: item[key] for key in keys if key in item})
        else:
            reduced.append(item)
    return sorted(reduced, key=canonical)


def input_hash(task: dict) -> int:
    fields = {key: task[key] for key in INPUT_KEYS if key in task}
    if not fields:
        fields = {key: value for key, value in task.items() if not key.startswith("_") and key not in _NOT_INPUT}
    return _hash(fields)


def _reduced(key: str, value):
    if key == "spans":
        return _as_set(value, _SPAN_KEYS)
    if key == "relations":
        return _as_set(value, _RELATION_KEYS)
    if key == "accept" and isinstance(value, list):
        return sorted(value, key=canonical)
    return value


def task_hash(task: dict, input_hash_value: int) -> int:
    question = {"_input_hash": input_hash_value}
    for key in TASK_KEYS:
        if key in task:
            question[key] = _reduced(key, task[key])
    return _hash(question)


def annotation_hash(example: dict) -> int:
    """What the annotator did, for telling review versions apart; order of spans or choices aside."""
    content = {"_input_hash": example.get("_input_hash")}
    for key in ANNOTATION_KEYS:
        if key in example:
            content[key] = _reduced(key, example[key])
    return _hash(content)


def is_hash(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2 ** 31) <= value < 2 ** 31


def set_hashes(task: dict, overwrite: bool = False) -> dict:
    """Adds the hashes a task lacks (or all of them with overwrite); returns the same dict."""
    if overwrite or not is_hash(task.get("_input_hash")):
        task["_input_hash"] = input_hash(task)
    if overwrite or not is_hash(task.get("_task_hash")):
        task["_task_hash"] = task_hash(task, task["_input_hash"])
    return task
