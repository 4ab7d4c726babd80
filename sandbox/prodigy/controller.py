"""The annotation session of one server run: hands out questions, validates and saves answers.

Session ids: `<dataset>-<name>` for a named session (`/?session=name`), and the run's own
timestamp session (`YYYY-MM-DD_HH-MM-SS`) for a browser that gives no name, as in Prodigy.
Every saved example is linked to the main dataset, to its session's dataset and to the run's
timestamp dataset (the "Session ID" of the shutdown summary), so each run's answers can be
exported on their own.
"""

import os
import threading
import time

from . import __version__, config as config_module, hashing
from .db import Database
from .errors import HTTPError
from .output import log
from .recipes import Recipe, SPAN_VIEWS, is_manual, question_key, underlying_view
from .routing import Router

ANSWERS = ("accept", "reject", "ignore")


class Controller:
    def __init__(self, recipe: Recipe, config: dict, db: Database, run_session: str, allowed: list[str] | None,
                 instructions: str | None, crash_after: int | None):
        self.recipe = recipe
        self.config = config
        self.db = db
        self.run_session = run_session
        self.allowed = allowed
        self.instructions = instructions
        self.crash_after = crash_after
        # One lock for routing and saving, so concurrent requests see one consistent queue (Prodigy has one too).
        self.lock = threading.RLock()
        self.saved = 0
        self.tasks = recipe.tasks
        self.index = {question_key(task, recipe.view_id): i for i, task in enumerate(self.tasks)}
        preregistered = [self.session_id_of(name) for name in allowed or []]
        self.router = Router(
            [task["_task_hash"] for task in self.tasks], config["batch_size"], config["feed_overlap"],
            config.get("annotations_per_task"), config["allow_work_stealing"], preregistered,
        )
        log("CONTROLLER", f"Using `{self.router.mode_name()}` router.")
        for session_id in preregistered:
            log("STREAM", f"Created queue for {session_id}")
        # Questions the dataset already has an answer to, from any session.
        self.answered_keys: set = set()
        for _, example in db.examples(recipe.dataset):
            session_id = example.get("_session_id") or example.get("_annotator_id") or ""
            key = question_key(example, recipe.view_id)
            self.answered_keys.add(key)
            if key in self.index:
                self.router.mark_answered(self.index[key], session_id)

    # Sessions -----------------------------------------------------------------------------------

    def session_id_of(self, name: str) -> str:
        return f"{self.recipe.dataset}-{name}"

    def resolve(self, session_id) -> str:
        """The session an API call acts for; refuses names outside PRODIGY_ALLOWED_SESSIONS."""
        if session_id is None or session_id == "":
            if self.allowed is not None:
                raise HTTPError(403, "This Prodigy server only accepts named sessions: open it as /?session=NAME with an allowed name.")
            return self.run_session
        if not isinstance(session_id, str):
            raise HTTPError(400, "session_id must be a string")
        if self.allowed is not None:
            prefix = f"{self.recipe.dataset}-"
            name = session_id[len(prefix):] if session_id.startswith(prefix) else None
            if name not in self.allowed:
                raise HTTPError(403, f"Session '{session_id}' is not allowed on this server (PRODIGY_ALLOWED_SESSIONS).")
        return session_id

    # Endpoints ----------------------------------------------------------------------------------

    def project(self) -> dict:
        shown = config_module.public(self.config)
        shown.update(self.recipe.config)
        shown.update({
            "dataset": self.recipe.dataset,
            "recipe_name": self.recipe.name,
            "view_id": self.recipe.view_id,
            "labels": self.recipe.labels,
            "version": __version__,
            "instructions": self.instructions,
            "batch_size": self.config["batch_size"],
            "instant_submit": self.config["instant_submit"],
            "total": len(self.tasks),
        })
        return shown

    def progress(self, session_id: str):
        if not self.tasks:
            return None
        return min(1.0, self.router.answered_by(session_id) / len(self.tasks))

    def questions(self, session_id: str) -> dict:
        with self.lock:
            batch = self.router.questions(session_id)
            return {
                "tasks": [self.tasks[i] for i in batch],
                "total": len(self.tasks),
                "progress": self.progress(session_id),
                "session_id": session_id,
            }

    def end_session(self, session_id: str) -> dict:
        with self.lock:
            self.router.end_session(session_id)
        return {}

    def give_answers(self, session_id: str, answers) -> dict:
        if not isinstance(answers, list):
            raise HTTPError(400, "answers must be a list of annotated tasks")
        # Validate the whole batch first: a bad answer saves nothing.
        prepared = [self._prepare(answer, i) for i, answer in enumerate(answers)]
        with self.lock:
            if prepared and session_id != self.run_session and self.db.dataset_id(session_id) is None:
                self.db.add_dataset(session_id, session=True)
                log("DB", f"Creating session dataset '{session_id}'")
            datasets = list(dict.fromkeys([self.recipe.dataset, session_id, self.run_session]))
            now = int(time.time())
            for example in prepared:
                example.update({"_timestamp": now, "_session_id": session_id, "_annotator_id": session_id})
                self.save(example, datasets)
            return {"progress": self.progress(session_id)}

    def save(self, example: dict, datasets: list[str]) -> None:
        """Stores one answer. Every answer the page sends is added, as Prodigy's Database.add_examples
        does (prodi.gy/docs/api-database); changing one's mind happens in the page, before it sends."""
        session_id = example.get("_session_id") or ""
        key = question_key(example, self.recipe.view_id)
        self.db.add_examples([example], datasets)
        if key in self.index:
            self.router.mark_answered(self.index[key], session_id)
        self.saved += 1
        log("DB", f"Saved answer {self.saved} ({example.get('answer')}) for {session_id}", verbose=True)
        if self.crash_after is not None and self.saved >= self.crash_after:
            # PRODIGY_SANDBOX_CRASH_AFTER: die like a killed process, mid-request, no summary.
            os._exit(70)

    def _prepare(self, answer, i: int) -> dict:
        where = f"answers[{i}]"
        if not isinstance(answer, dict):
            raise HTTPError(400, f"{where} must be a JSON object (the task plus its answer)")
        if answer.get("answer") not in ANSWERS:
            raise HTTPError(400, f"{where}.answer must be one of accept, reject, ignore")
        example = dict(answer)
        example["_view_id"] = example.get("_view_id") or self.recipe.view_id
        view = underlying_view(example, self.recipe.view_id)
        if view == "choice":
            accept = example.setdefault("accept", [])
            if not isinstance(accept, list) or not all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in accept):
                raise HTTPError(400, f"{where}.accept must be a list of option ids")
        if view in SPAN_VIEWS and is_manual(view):
            example["spans"] = self._spans(example.get("spans", []), example, where, view)
        # The hashes the task was served with stay: they were set when it entered the stream, and
        # annotating does not change them (CONTRACTS §C). Only an answer without them gets them.
        if not hashing.is_hash(example.get("_input_hash")):
            example["_input_hash"] = hashing.input_hash(example)
        if not hashing.is_hash(example.get("_task_hash")):
            example["_task_hash"] = hashing.task_hash(example, example["_input_hash"])
        if example.get("flagged") is True:
            example["flagged"] = True
        else:
            example.pop("flagged", None)
        return example

    @staticmethod
    def _spans(spans, example: dict, where: str, view: str) -> list:
        if not isinstance(spans, list) or not all(isinstance(span, dict) for span in spans):
            raise HTTPError(400, f"{where}.spans must be a list of objects")
        text = example.get("text")
        if view == "image_manual" or not isinstance(text, str):
            return spans
        for j, span in enumerate(spans):
            start, end = span.get("start"), span.get("end")
            valid = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) and 0 <= start < end <= len(text)
            if not valid or not isinstance(span.get("label"), str):
                raise HTTPError(400, f"{where}.spans[{j}] needs start < end within the text and a label")
        return sorted(spans, key=lambda span: (span["start"], span["end"]))
