"""The recipes the stand-in serves: their arguments, their tasks and their interface.

Argument shapes follow Prodigy's recipe docs (prodi.gy/docs/recipes, CONTRACTS §C):

    textcat.manual DATASET SOURCE --label A,B [--exclusive] [--loader jsonl]
    ner.manual     DATASET SPACY_MODEL SOURCE --label A,B [--patterns F] [--loader jsonl]
    spans.manual   DATASET SPACY_MODEL SOURCE --label A,B [--loader jsonl]
    image.manual   DATASET SOURCE --label A,B [--loader images|jsonl]
    mark           DATASET SOURCE --view-id ID [--label A] [--loader jsonl]
    review         DATASET IN_SET1,IN_SET2 [--view-id ID] [--label A,B] [--auto-accept] [--show-skipped]

A command line argparse cannot read (a missing positional, an unknown option) is reported the
way argparse does: usage and `error: …` on stderr, exit 2, before anything starts. A model that
spaCy cannot load fails as spaCy does (E050, a traceback on stderr, exit 1). Everything else a
recipe refuses is a wasabi `✘` line on stdout, exit 1. `-F recipe.py` is accepted and ignored.
"""

import argparse
import base64
import mimetypes
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import hashing
from .db import DB_NAME, Database
from .errors import UsageError, UserError
from .loaders import parse_labels, read_jsonl
from .output import err, log

# Interfaces where the annotator makes the annotation (not just accept/reject a question).
MANUAL_VIEWS = {
    "choice", "ner_manual", "spans_manual", "image_manual", "relations", "pos_manual",
    "text_input", "audio_manual", "video_manual",
}
SPAN_VIEWS = {"ner_manual", "spans_manual", "image_manual", "ner", "spans", "relations", "pos_manual"}
MODEL_RECIPES = {"ner.manual", "spans.manual"}
RECIPE_NAMES = ("textcat.manual", "ner.manual", "spans.manual", "image.manual", "mark", "review")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".tif", ".tiff"}

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
# spaCy's `blank:LANG` (spacy.io/api/top-level#spacy.blank): a language code, nothing to load.
_BLANK = re.compile(r"^blank:[a-z]{2,3}$")


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
        raise UsageError(self.format_usage().strip(), f"{self.prog}: error: {message}")


def underlying_view(task: dict, default_view: str) -> str:
    """The interface that produced an annotation; a review task carries it in `view_id`."""
    view = task.get("_view_id") or default_view
    if view == "review":
        return task.get("view_id") or "classification"
    return view


def is_manual(view_id: str) -> bool:
    return view_id in MANUAL_VIEWS


def question_key(task: dict, default_view: str):
    """What makes two tasks the same question in a stream: the input for manual interfaces (the
    annotator makes the annotation), the task hash for binary ones (prodi.gy/docs/review)."""
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


def _parser(name: str) -> _Parser:
    parser = _Parser(prog=f"prodigy {name}", allow_abbrev=False, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", help="dataset to save the answers to")
    if name in MODEL_RECIPES:
        parser.add_argument("spacy_model", help="spaCy pipeline for tokenization, e.g. blank:en")
    parser.add_argument("source", help="JSONL file of tasks (image.manual: a folder of images; review: input datasets)")
    parser.add_argument("--label", "-l", help="comma-separated labels, or a file with one label per line")
    parser.add_argument("-F", dest="recipe_file", action="append", help="custom recipe file (accepted and ignored)")
    parser.add_argument("--loader", "-lo", help="how to read the source")
    if name in ("mark", "review"):
        parser.add_argument("--view-id", "-v", dest="view_id", help="annotation interface")
    if name == "textcat.manual":
        parser.add_argument("--exclusive", "-E", action="store_true", help="one choice only")
    if name == "ner.manual":
        parser.add_argument("--patterns", "-pt", help="match patterns (accepted and ignored)")
    if name == "review":
        parser.add_argument("--auto-accept", "-A", action="store_true", help="save unanimous answers without asking")
        parser.add_argument("--show-skipped", "-S", action="store_true", help="include ignored (and rejected manual) answers")
    return parser


def _check_model(name: str) -> None:
    """What spacy.load accepts: `blank:LANG`, or a pipeline folder (one with a config.cfg). Installed
    pipeline packages cannot exist here; anything else fails with spaCy's E050
    (github.com/explosion/spaCy, spacy/errors.py, E050), raised as an OSError."""
    if _BLANK.match(name) or (Path(name).expanduser() / "config.cfg").is_file():
        return
    try:
        raise OSError(f"[E050] Can't find model '{name}'. It doesn't seem to be a Python package or a valid path to a data directory.")
    except OSError:
        err("Traceback (most recent call last):")
        err('  File "<prodigy>", line 1, in <module>')
        err(traceback.format_exc().strip().splitlines()[-1])
    raise SystemExit(1)


def _labels(args: argparse.Namespace, required: bool, name: str) -> list[str]:
    labels = parse_labels(args.label) or []
    if required and not labels:
        raise UserError(f"No labels given for {name}", text="Pass them with --label A,B (or the path of a text file with one label per line).")
    return list(labels)


def _loader(name: str, args: argparse.Namespace) -> str:
    # image.manual reads a folder of images unless told otherwise (prodi.gy/docs/recipes#image-manual).
    loader = (args.loader or ("images" if name == "image.manual" else "jsonl")).lower()
    allowed = ("images", "jsonl") if name == "image.manual" else ("jsonl",)
    if loader not in allowed:
        raise UserError(f"The sandbox can't read --loader {args.loader} for {name}", text=f"It reads: {', '.join(allowed)}.")
    return loader


def _images(folder: str) -> list[dict]:
    """The `images` loader: every image file in a folder, inline as a data URI, named in meta."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        what = "a file, not a folder of images" if path.exists() else "not there"
        raise UserError(f"Can't read images from {folder}: it is {what}", text="Use a folder of images, or a JSONL file of tasks with --loader jsonl.")
    tasks = []
    for file in sorted(path.iterdir()):
        if file.suffix.lower() in IMAGE_SUFFIXES and file.is_file():
            mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            data = base64.b64encode(file.read_bytes()).decode("ascii")
            tasks.append({"image": f"data:{mime};base64,{data}", "path": str(file), "meta": {"file": file.name}})
    return tasks


def _load(source: str, name: str, loader: str) -> list[dict]:
    if loader == "images":
        return _images(source)
    tasks = []
    for number, task in read_jsonl(source):
        if name in MODEL_RECIPES and not isinstance(task.get("text"), str):
            raise UserError(f"Invalid task on line {number} of {source}", text=f'{name} needs a "text" string in every task.')
        if name == "image.manual" and not isinstance(task.get("image"), str):
            raise UserError(f"Invalid task on line {number} of {source}", text='image.manual needs an "image" (data: URI or URL) in every task.')
        if name in ("textcat.manual", "mark") and not any(key in task for key in ("text", "image", "html")):
            raise UserError(f"Invalid task on line {number} of {source}", text='A task needs "text", "image" or "html".')
        tasks.append(task)
    return tasks


def _finish(tasks: list[dict], view_id: str) -> list[dict]:
    """Adds `_view_id` and the hashes a task lacks as it enters the stream, and drops repeated
    questions (first one wins). Nothing here runs again when the task is answered."""
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
    args = _parser(name).parse_intermixed_args(argv)
    if args.recipe_file:
        log("RECIPE", f"Ignoring -F {', '.join(args.recipe_file)}: the sandbox has no custom recipes")
    log("RECIPE", f"Calling recipe '{name}'")
    if name == "review":
        return _review(args, config, db)
    if name in MODEL_RECIPES:
        _check_model(args.spacy_model)
    loader = _loader(name, args)

    extra = {}
    if name == "textcat.manual":
        labels = _labels(args, True, name)
        tasks = _load(args.source, name, loader)
        if len(labels) == 1:
            # prodi.gy/docs/recipes#textcat-manual: one label is a yes/no question (classification).
            view_id = "classification"
            for task in tasks:
                task.setdefault("label", labels[0])
        else:
            view_id = "choice"
            options = [{"id": label, "text": label} for label in labels]
            for task in tasks:
                task.setdefault("options", options)
            extra["choice_style"] = "single" if args.exclusive else "multiple"
    elif name in MODEL_RECIPES:
        labels = _labels(args, True, name)
        tasks = _load(args.source, name, loader)
        view_id = "ner_manual" if name == "ner.manual" else "spans_manual"
        for task in tasks:
            if not isinstance(task.get("tokens"), list):
                task["tokens"] = tokenize(task["text"])
    elif name == "image.manual":
        labels = _labels(args, True, name)
        tasks = _load(args.source, name, loader)
        view_id = "image_manual"
    else:  # mark
        if not args.view_id:
            raise UserError("No --view-id given for mark", text="mark shows the tasks in the interface you name, e.g. --view-id classification, choice or html.")
        labels = _labels(args, False, name)
        tasks = _load(args.source, name, loader)
        view_id = args.view_id
        for task in tasks:
            if view_id == "choice" and "options" not in task and labels:
                task["options"] = [{"id": label, "text": label} for label in labels]
            elif view_id in ("ner_manual", "spans_manual") and isinstance(task.get("text"), str) and "tokens" not in task:
                task["tokens"] = tokenize(task["text"])
            elif len(labels) == 1 and not is_manual(view_id):
                task.setdefault("label", labels[0])
        if view_id == "choice":
            extra["choice_style"] = "multiple"
    return Recipe(name, args.dataset, view_id, _finish(tasks, view_id), labels, extra)


# review -----------------------------------------------------------------------------------------

_PER_ANNOTATOR = ("_session_id", "_annotator_id", "_timestamp", "flagged", "versions", "sessions", "default")


def _review(args: argparse.Namespace, config: dict, db: Database) -> Recipe:
    """Groups the input datasets' answers into questions with versions, as Prodigy's review sees them
    (prodi.gy/docs/review): binary tasks by `_task_hash` (versions differ by answer), manual tasks by
    `_input_hash`, where versions differ by what was annotated (spans, `accept`, relations), re-hashed
    from the content: the stored `_task_hash` is the same for every annotator of a task. `ignore`
    answers are not votes, nor are `reject` answers to manual tasks."""
    in_sets = [name.strip() for name in args.source.split(",") if name.strip()]
    if not in_sets:
        raise UserError("No input datasets given for review", text="Give them as a comma-separated list: review OUT IN1,IN2.")
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
            # Rehashed, so answers imported with other hashes still meet their peers.
            input_hash = hashing.input_hash(example)
            task_hash = hashing.task_hash(example, input_hash)
            group = groups.setdefault(("input", input_hash) if manual else ("task", task_hash), {"view": view, "versions": {}})
            content_key = hashing.annotation_hash({**example, "_input_hash": input_hash}) if manual else task_hash
            version = group["versions"].get((content_key, answer))
            if version is None:
                content = {key: value for key, value in example.items() if key not in _PER_ANNOTATOR}
                content.update({"_input_hash": input_hash, "_task_hash": task_hash})
                version = group["versions"][(content_key, answer)] = {"content": content, "sessions": []}
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
    labels = parse_labels(args.label) or _labels_in(tasks + auto)
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
