"""Database commands: db-out, db-in, stats, drop (prodi.gy/docs/recipes, "Database").

    db-out DATASET [OUT_DIR] [--answer X] [--flagged-only] [--dry]
    db-in  DATASET FILE [--answer accept] [--overwrite] [--rehash] [--dry]
    stats  [DATASET] [-l] [-ls]
    drop   DATASET

Messages are wasabi lines on stdout (output.py). Without OUT_DIR, db-out prints its JSONL on
stdout too, so a message there lands in the same stream as the data.
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from . import __version__, config as config_module, hashing
from .db import DB_NAME, Database, timestamp_session_name
from .errors import UsageError, UserError
from .loaders import read_jsonl
from .output import good, log, say


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(self.format_usage().strip(), f"{self.prog}: error: {message}")


def _open() -> tuple[dict, Database]:
    config = config_module.load()
    log("DB", f"Initializing database {DB_NAME}")
    return config, Database(config_module.db_path(config))


def _missing(name: str) -> UserError:
    return UserError(f"Can't find '{name}' in database {DB_NAME}")


def _line(example: dict) -> str:
    # Compact, like Prodigy's JSONL: no spaces after separators.
    return json.dumps(example, ensure_ascii=False, separators=(",", ":"))


def db_out(argv: list[str]) -> int:
    parser = _Parser(prog="prodigy db-out", allow_abbrev=False, description="Export a dataset as JSONL.")
    parser.add_argument("dataset")
    parser.add_argument("out_dir", nargs="?")
    parser.add_argument("--answer", "-a", choices=("accept", "reject", "ignore"), help="only examples with this answer")
    parser.add_argument("--flagged-only", "-F", action="store_true", help="only flagged examples")
    parser.add_argument("--dry", "-D", action="store_true", help="count, write nothing")
    args = parser.parse_intermixed_args(argv)
    _, db = _open()
    if db.dataset_id(args.dataset) is None:
        raise _missing(args.dataset)
    examples = [eg for _, eg in db.examples(args.dataset)]
    if args.answer:
        examples = [eg for eg in examples if eg.get("answer") == args.answer]
    if args.flagged_only:
        examples = [eg for eg in examples if eg.get("flagged") is True]
    if args.dry:
        good(f"Would export {len(examples)} annotations from '{args.dataset}' (dry run)")
        return 0
    text = "".join(_line(eg) + "\n" for eg in examples)
    if args.out_dir is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    folder = Path(args.out_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        out_file = folder / f"{args.dataset}.jsonl"
        out_file.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"Can't write to {args.out_dir}: {error.strerror}")
    good(f"Exported {len(examples)} annotations from '{args.dataset}' to {out_file}")
    return 0


def db_in(argv: list[str]) -> int:
    parser = _Parser(prog="prodigy db-in", allow_abbrev=False, description="Import annotations from JSONL.")
    parser.add_argument("dataset")
    parser.add_argument("in_file")
    parser.add_argument("--answer", "-a", default="accept", choices=("accept", "reject", "ignore"), help="answer added where missing")
    parser.add_argument("--overwrite", "-o", action="store_true", help="set --answer on every example, even those with one")
    parser.add_argument("--rehash", "-rh", action="store_true", help="recompute hashes even where present")
    parser.add_argument("--dry", "-D", action="store_true", help="check the file, import nothing")
    args = parser.parse_intermixed_args(argv)
    # Read and check the whole file before touching the database: a bad line imports nothing.
    records = read_jsonl(args.in_file, "file")
    examples, answered = [], 0
    for _, example in records:
        hashing.set_hashes(example, overwrite=args.rehash)
        if args.overwrite or example.get("answer") not in ("accept", "reject", "ignore"):
            example["answer"] = args.answer
            answered += 1
        examples.append(example)
    if args.dry:
        good(f"Would import {len(examples)} annotations to '{args.dataset}' (dry run)")
        return 0
    _, db = _open()
    session = timestamp_session_name()
    db.add_dataset(args.dataset)
    db.add_dataset(session, session=True)
    db.add_examples(examples, [args.dataset, session])
    # wasabi wraps a message's text into one paragraph, so the detail lines are printed as lines.
    good(f"Imported {len(examples)} annotations to '{args.dataset}' (session {session}) in database {DB_NAME}")
    if answered:
        say(f"Added '{args.answer}' answer to {answered} annotations")
    say(f"Session ID: {session}")
    return 0


def drop(argv: list[str]) -> int:
    parser = _Parser(prog="prodigy drop", allow_abbrev=False, description="Delete a dataset (cannot be undone).")
    parser.add_argument("dataset")
    args = parser.parse_args(argv)
    _, db = _open()
    if not db.drop_dataset(args.dataset):
        raise _missing(args.dataset)
    good(f"Removed '{args.dataset}' from database {DB_NAME}")
    return 0


def stats(argv: list[str]) -> int:
    parser = _Parser(prog="prodigy stats", allow_abbrev=False, description="Database statistics.")
    parser.add_argument("dataset", nargs="?")
    parser.add_argument("-l", "--list-datasets", action="store_true", help="list dataset names")
    parser.add_argument("-ls", "--list-sessions", action="store_true", help="list dataset and session names")
    args = parser.parse_args(argv)
    config, db = _open()
    datasets, sessions = db.datasets(session=False), db.datasets(session=True)
    rows = [
        ("Version", __version__),
        ("Location", str(Path(__file__).resolve().parent)),
        ("Prodigy Home", str(config_module.home())),
        ("Platform", platform.platform()),
        ("Python Version", platform.python_version()),
        ("Database Name", DB_NAME),
        ("Database Id", "sqlite"),
        ("Database Path", config_module.db_path(config)),
        ("Total Datasets", str(len(datasets))),
        ("Total Sessions", str(len(sessions))),
    ]
    _table("✨  Prodigy Stats", rows)
    if args.list_datasets or args.list_sessions:
        say()
        say("✨  Datasets")
        say()
        say(", ".join(datasets))
    if args.list_sessions:
        say()
        say("✨  Sessions")
        say()
        say(", ".join(sessions))
    if args.dataset:
        info = db.dataset_info(args.dataset)
        if info is None:
            raise _missing(args.dataset)
        answers = [eg.get("answer") for _, eg in db.examples(args.dataset)]
        say()
        _table(f"✨  Dataset '{args.dataset}'", [
            ("Dataset", args.dataset),
            ("Created", _date(info["created"])),
            ("Description", str(info["meta"].get("description") or "")),
            ("Author", str(info["meta"].get("author") or "")),
            ("Annotations", str(len(answers))),
            ("Accept", str(answers.count("accept"))),
            ("Reject", str(answers.count("reject"))),
            ("Ignore", str(answers.count("ignore"))),
        ])
    return 0


def _date(timestamp) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp or 0))


def _table(title: str, rows: list[tuple[str, str]]) -> None:
    say(title)
    say()
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        say(f"{name.ljust(width)}   {value}")
