"""The recipes the stand-in serves: their arguments, their tasks and their interface.

    textcat.manual DATASET SOURCE --label A,B [--exclusive]
    ner.manual     DATASET [MODEL] SOURCE --label A,B     (MODEL, e.g. blank:en, is accepted and ignored)
    spans.manual   DATASET [MODEL] SOURCE --label A,B
    image.manual   DATASET SOURCE --label A,B
    mark           DATASET SOURCE [--label A] [--view-id ID]
    review         DATASET IN_SET1,IN_SET2 [--label A,B] [--view-id ID] [--auto-accept] [--show-skipped]

`-F recipe.py` is accepted anywhere and ignored: the stand-in cannot run custom recipes.
"""

import argparse
import re
from dataclasses import dataclass, field

from . import hashing
from .db import DB_NAME, Database
from .errors import UserError
from .loaders import parse_labels, read_jsonl
from .output import log

# Interfaces where the annotator makes the annotation (not just accept/reject a question).
MANUAL_VIEWS = {
    "choice", "ner_manual", "spans_manual", "image_manual", "relations", "pos_manual",
    "text_input", "audio_manual", "video_manual",
}
SPAN_VIEWS = {"ner_manual", "spans_manual", "image_manual", "ner", "spans", "relations", "pos_manual"}
TEXT_RECIPES = {"ner.manual", "spans.manual"}
RECIPE_NAMES = ("textcat.manual", "ner.manual", "spans.manual", "image.manual", "mark", "review")

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


@dataclass
class Recipe:
    name: str
    dataset: str
    view_id: str
    tasks: list
    labels: list
    config: dict = field(default_factory=dict)
    # review --auto-accept: examples saved at start without being shown.
    auto_answers: list = field(default_factory=list)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UserError(f"{self.prog}: {message}\n{self.format_usage().strip()}")


def underlying_view(task: dict, default_view: str) -> str:
    """The interface that produced an annotation; a review task carries it in `view_id`."""
    view = task.get("_view_id") or default_view
    if view == "review":
        return task.get("view_id") or "classification"
    return view


def is_manual(view_id: str) -> bool:
    return view_id in MANUAL_VIEWS


def question_key(task: dict, default_view: str):
    """What makes two answers answers to the same question: the input for manual interfaces
    (the annotation is the answer, so its task hash changes), the task hash for binary ones."""
    if is_manual(underlying_view(task, default_view)):
        return ("input", task.get("_input_hash"))
    return ("task", task.get("_task_hash"))


def tokenize(text: str) -> list[dict]:
    """Words and punctuation, with Prodigy's token fields; spans snap to these in the page."""
    tokens = []
    for i, match in enumerate(_TOKEN.finditer(text)):
        end = match.end()
        tokens.append({"text": match.group(), "start": match.start(), "end": end, "id": i, "ws": end < len(text) and text[end].isspace()})
    return tokens


def _parse(name: str, argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog=f"prodigy {name}", allow_abbrev=False, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", help="dataset to save the answers to")
    parser.add_argument("source", nargs="*", help="JSONL file of tasks (review: comma-separated input datasets)")
    parser.add_argument("--label", "-l", help="comma-separated labels, or a file with one label per line")
    parser.add_argument("-F", dest="recipe_file", action="append", help="custom recipe file (accepted and ignored)")
    parser.add_argument("--view-id", "-v", dest="view_id", help="interface for mark and review")
    parser.add_argument("--exclusive", "-E", action="store_true", help="textcat.manual: one choice only")
    parser.add_argument("--auto-accept", "-A", action="store_true", help="review: save unanimous answers without asking")
    parser.add_argument("--show-skipped", "-S", action="store_true", help="review: include ignored (and rejected manual) answers")
    parser.add_argument("--loader", "-lo", help="source loader (only jsonl)")
    return parser.parse_intermixed_args(argv)


def _source(name: str, args: argparse.Namespace) -> str:
    allowed = (1, 2) if name in TEXT_RECIPES else (1,)
    if len(args.source) not in allowed:
        shape = "DATASET [MODEL] SOURCE" if name in TEXT_RECIPES else ("DATASET IN_SETS" if name == "review" else "DATASET SOURCE")
        got = "no source" if not args.source else f"{len(args.source)} positional arguments after the dataset"
        raise UserError(f"prodigy {name}: expected {shape}, got {got}")
    return args.source[-1]


def _labels(args: argparse.Namespace, config: dict, required: bool, name: str) -> list[str]:
    labels = parse_labels(args.label) or config.get("labels") or []
    if required and not labels:
        raise UserError(f"prodigy {name} needs labels: pass --label A,B (or set \"labels\" in prodigy.json)")
    return list(labels)


def _load(source: str, name: str) -> list[dict]:
    tasks = []
    for number, task in read_jsonl(source):
        if name in TEXT_RECIPES and not isinstance(task.get("text"), str):
            raise UserError(f"Invalid task on line {number} of {source}: {name} needs a \"text\" string")
        if name == "image.manual" and not isinstance(task.get("image"), str):
            raise UserError(f"Invalid task on line {number} of {source}: image.manual needs an \"image\" (data: URI or URL)")
        if name in ("textcat.manual", "mark") and not any(key in task for key in ("text", "image", "html")):
            raise UserError(f"Invalid task on line {number} of {source}: a task needs \"text\", \"image\" or \"html\"")
        tasks.append(task)
    return tasks


def _finish(tasks: list[dict], view_id: str) -> list[dict]:
    """Adds `_view_id` and the hashes a task lacks, and drops repeated questions (first one wins)."""
    seen = set()
    prepared = []
    for task in tasks:
        task["_view_id"] = task.get("_view_id") if view_id == "review" else view_id
        hashing.set_hashes(task)
        key = question_key(task, view_id)
        if key in seen:
            continue
        seen.add(key)
        prepared.append(task)
    return prepared


def build(name: str, argv: list[str], config: dict, db: Database) -> Recipe:
    args = _parse(name, argv)
    if args.recipe_file:
        log("RECIPE", f"Ignoring -F {', '.join(args.recipe_file)}: the sandbox has no custom recipes")
    if args.loader and args.loader.lower() != "jsonl":
        raise UserError(f"prodigy {name}: the sandbox only reads JSONL sources (got --loader {args.loader})")
    log("RECIPE", f"Calling recipe '{name}'")
    if name == "review":
        return _review(args, config, db)

    source = _source(name, args)
    extra = {}
    if name == "textcat.manual":
        labels = _labels(args, config, True, name)
        tasks = _load(source, name)
        if len(labels) == 1:
            # Like Prodigy: one label is a yes/no question on the classification interface.
            view_id = "classification"
            for task in tasks:
                task.setdefault("label", labels[0])
        else:
            view_id = "choice"
            options = [{"id": label, "text": label} for label in labels]
            for task in tasks:
                task.setdefault("options", options)
            extra["choice_style"] = "single" if args.exclusive else "multiple"
    elif name in TEXT_RECIPES:
        labels = _labels(args, config, True, name)
        tasks = _load(source, name)
        view_id = "ner_manual" if name == "ner.manual" else "spans_manual"
        for task in tasks:
            if not isinstance(task.get("tokens"), list):
                task["tokens"] = tokenize(task["text"])
    elif name == "image.manual":
        labels = _labels(args, config, True, name)
        tasks = _load(source, name)
        view_id = "image_manual"
    else:  # mark
        labels = _labels(args, config, False, name)
        tasks = _load(source, name)
        view_id = args.view_id or config.get("view_id") or "classification"
        for task in tasks:
            if view_id == "choice" and "options" not in task and labels:
                task["options"] = [{"id": label, "text": label} for label in labels]
            elif view_id in ("ner_manual", "spans_manual") and isinstance(task.get("text"), str) and "tokens" not in task:
                task["tokens"] = tokenize(task["text"])
            elif len(labels) == 1 and not is_manual(view_id):
                task.setdefault("label", labels[0])
        if view_id == "choice":
            extra["choice_style"] = "single" if args.exclusive else "multiple"
    return Recipe(name, args.dataset, view_id, _finish(tasks, view_id), labels, extra)


# review -----------------------------------------------------------------------------------------

_PER_ANNOTATOR = ("_session_id", "_annotator_id", "_timestamp", "flagged", "versions", "sessions", "default")


def _review(args: argparse.Namespace, config: dict, db: Database) -> Recipe:
    """Groups the input datasets' answers into questions with versions, as Prodigy's review sees them:
    binary tasks by `_task_hash` (versions differ by answer), manual tasks by `_input_hash` (versions
    differ by `_task_hash`). `ignore` answers are not votes, nor are `reject` answers to manual tasks."""
    in_sets = [name.strip() for name in _source("review", args).split(",") if name.strip()]
    if not in_sets:
        raise UserError("prodigy review: give the input datasets as a comma-separated list")
    for name in in_sets:
        if db.dataset_id(name) is None:
            raise UserError(f"Can't find '{name}' in database {DB_NAME}")

    groups: dict = {}
    for set_name in in_sets:
        for _, example in db.examples(set_name):
            view = args.view_id or underlying_view(example, "classification")
            manual = is_manual(view)
            answer = example.get("answer")
            if not args.show_skipped and (answer == "ignore" or (manual and answer == "reject")):
                continue
            # Rehash, so answers imported with other hashes still meet their peers.
            input_hash = hashing.input_hash(example)
            task_hash = hashing.task_hash(example, input_hash)
            group = groups.setdefault(("input", input_hash) if manual else ("task", task_hash), {"view": view, "versions": {}})
            version = group["versions"].get((task_hash, answer))
            if version is None:
                content = {key: value for key, value in example.items() if key not in _PER_ANNOTATOR}
                content.update({"_input_hash": input_hash, "_task_hash": task_hash})
                version = group["versions"][(task_hash, answer)] = {"content": content, "sessions": []}
            session = example.get("_session_id") or example.get("_annotator_id") or set_name
            if session not in version["sessions"]:
                version["sessions"].append(session)
            version.setdefault("count", 0)
            version["count"] += 1

    tasks, auto = [], []
    for group in groups.values():
        ordered = sorted(group["versions"].values(), key=lambda v: -v["count"])  # stable: ties keep first-seen order
        versions = [{**v["content"], "sessions": v["sessions"], "default": i == 0} for i, v in enumerate(ordered)]
        default = {key: value for key, value in ordered[0]["content"].items() if key != "answer"}
        sessions = list(dict.fromkeys(s for v in ordered for s in v["sessions"]))
        task = {**default, "view_id": group["view"], "versions": versions, "sessions": sessions, "_view_id": "review"}
        if args.auto_accept and len(versions) == 1:
            answer = ordered[0]["content"].get("answer") or "accept"
            auto.append({**task, "answer": "accept" if is_manual(group["view"]) else answer})
        else:
            tasks.append(task)

    view_ids = {group["view"] for group in groups.values()}
    labels = parse_labels(args.label) or config.get("labels") or _labels_in(tasks + auto)
    return Recipe("review", args.dataset, "review", _finish(tasks, "review"), list(labels),
                  {"review_view_ids": sorted(view_ids)}, _finish(auto, "review"))


def _labels_in(tasks: list[dict]) -> list[str]:
    """Labels the reviewer can use when none were given: every label the annotators used."""
    found = []
    for task in tasks:
        for version in task.get("versions", []):
            if isinstance(version.get("label"), str):
                found.append(version["label"])
            for span in version.get("spans") or []:
                if isinstance(span, dict) and isinstance(span.get("label"), str):
                    found.append(span["label"])
            for choice in version.get("accept") or []:
                if isinstance(choice, str):
                    found.append(choice)
    return list(dict.fromkeys(found))
