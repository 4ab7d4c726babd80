"""`_input_hash` and `_task_hash`: deterministic signed 32-bit integers, like Prodigy's.

Real Prodigy hashes with MurmurHash3; so does this (x86, 32-bit, seed 0, written out
because mmh3 is not in the standard library), over canonical JSON of the fields below.

* Input hash: the input fields present (text, image, html, input, audio, video, options);
  a task with none of them is hashed over all its plain fields except meta and the
  annotation. `options` counts as input so that every choice answer to one question
  shares an input hash (Prodigy's review recipe hashes the same way).
* Task hash: the input hash plus the question and its annotation (label, spans, accept,
  relations). Spans and accept are compared as sets, so two annotators who marked the
  same spans in a different order get the same task hash, and two who disagree do not.
"""

import hashlib
import json

INPUT_KEYS = ("text", "image", "html", "input", "audio", "video", "options")
TASK_KEYS = ("label", "spans", "accept", "relations")
# Never part of a fallback input hash: metadata, the annotation and Prodigy's own fields.
_NOT_INPUT = set(TASK_KEYS) | {
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


def task_hash(task: dict, input_hash_value: int) -> int:
    question = {"_input_hash": input_hash_value}
    for key in TASK_KEYS:
        if key not in task:
            continue
        value = task[key]
        if key == "spans":
            value = _as_set(value, _SPAN_KEYS)
        elif key == "relations":
            value = _as_set(value, _RELATION_KEYS)
        elif key == "accept" and isinstance(value, list):
            value = sorted(value, key=canonical)
        question[key] = value
    return _hash(question)


def is_hash(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2 ** 31) <= value < 2 ** 31


def set_hashes(task: dict, overwrite: bool = False) -> dict:
    """Adds the hashes a task lacks (or all of them with overwrite); returns the same dict."""
    if overwrite or not is_hash(task.get("_input_hash")):
        task["_input_hash"] = input_hash(task)
    if overwrite or not is_hash(task.get("_task_hash")):
        task["_task_hash"] = task_hash(task, task["_input_hash"])
    return task
