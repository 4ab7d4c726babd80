"""Which session gets which task (Prodigy's task routers, simplified but faithful in effect).

* feed_overlap false (default): each task goes to one session, first come first served.
* feed_overlap true: every session sees every task.
* annotations_per_task N: each task is routed to N distinct known sessions (the least loaded
  first). Known sessions are those in PRODIGY_ALLOWED_SESSIONS plus any that asked for work;
  a session that joins later does not get tasks routed before it joined (as in Prodigy).
  A fractional N (2.5) routes some tasks to more sessions, chosen by the task's hash.

A session's queue holds its reserved tasks, in stream order; asking for questions serves the
first `batch_size` of them (the same ones again until they are answered, so a reloaded page
gets its open tasks back). With allow_work_stealing, a session with nothing left takes tasks
that were served to another session but not yet answered (moving them, so no task gains an
extra annotator). A task is stolen at most once, so two idle sessions cannot pass it back
and forth. A task answered by a session is never served to it again.

Indices are positions in the stream; the caller holds the lock.
"""

import math


class _Session:
    def __init__(self, order: int):
        self.order = order
        self.queue: dict[int, bool] = {}  # task index -> served yet; insertion order = stream order
        self.cursor = 0  # feed_overlap: next stream index to consider
        self.assigned = 0  # annotations_per_task: load, for balancing


class Router:
    def __init__(self, task_hashes: list[int], batch_size: int, feed_overlap: bool, per_task, stealing: bool, sessions: list[str]):
        self.n = len(task_hashes)
        self.batch_size = batch_size
        self.mode = "full" if feed_overlap else ("per_task" if per_task is not None else "single")
        self.stealing = stealing
        self.done_by: list[set[str]] = [set() for _ in range(self.n)]
        self.answered: dict[str, int] = {}
        self.sessions: dict[str, _Session] = {}
        self.pointer = 0  # single / per_task: next stream index not yet handed out or routed
        self.released: list[int] = []  # single: served tasks given back by end_session
        self.stolen: set[int] = set()
        self.targets = [self._target(per_task, h) for h in task_hashes] if per_task is not None else []
        for session_id in sessions:
            self.register(session_id)

    @staticmethod
    def _target(per_task, task_hash: int) -> int:
        whole = math.floor(per_task)
        fraction = per_task - whole
        return whole + (1 if fraction and (task_hash % 1000) / 1000 < fraction else 0)

    def register(self, session_id: str) -> _Session:
        if session_id not in self.sessions:
            self.sessions[session_id] = _Session(len(self.sessions))
        return self.sessions[session_id]

    def mode_name(self) -> str:
        return {"single": "no_overlap", "full": "full_overlap", "per_task": "route_average_per_task"}[self.mode]

    # Answers ------------------------------------------------------------------------------------

    def mark_answered(self, index: int, session_id: str) -> None:
        if session_id not in self.done_by[index]:
            self.done_by[index].add(session_id)
            self.answered[session_id] = self.answered.get(session_id, 0) + 1
        session = self.sessions.get(session_id)
        if session:
            session.queue.pop(index, None)

    def answered_by(self, session_id: str) -> int:
        return self.answered.get(session_id, 0)

    def _finished(self, index: int, session_id: str) -> bool:
        done = self.done_by[index]
        if self.mode == "single":
            return bool(done)
        if self.mode == "per_task":
            return session_id in done or len(done) >= self.targets[index]
        return session_id in done

    # Questions ----------------------------------------------------------------------------------

    def questions(self, session_id: str) -> list[int]:
        session = self.register(session_id)
        for index in [i for i in session.queue if self._finished(i, session_id)]:
            del session.queue[index]
        self._top_up(session, session_id)
        if not session.queue and self.stealing and self.mode != "full":
            self._steal(session, session_id)
        batch = list(session.queue)[: self.batch_size]
        for index in batch:
            session.queue[index] = True
        return batch

    def _top_up(self, session: _Session, session_id: str) -> None:
        if self.mode == "full":
            while len(session.queue) < self.batch_size and session.cursor < self.n:
                index = session.cursor
                session.cursor += 1
                if not self._finished(index, session_id) and index not in session.queue:
                    session.queue[index] = False
        elif self.mode == "single":
            while len(session.queue) < self.batch_size and (self.released or self.pointer < self.n):
                if self.released:
                    index = self.released.pop(0)
                else:
                    index = self.pointer
                    self.pointer += 1
                if not self.done_by[index]:
                    session.queue[index] = False
        else:
            while len(session.queue) < self.batch_size and self.pointer < self.n:
                self._route(self.pointer)
                self.pointer += 1

    def _route(self, index: int) -> None:
        need = self.targets[index] - len(self.done_by[index])
        candidates = [sid for sid in self.sessions if sid not in self.done_by[index]]
        candidates.sort(key=lambda sid: (self.sessions[sid].assigned, self.sessions[sid].order))
        for session_id in candidates[: max(need, 0)]:
            session = self.sessions[session_id]
            session.queue[index] = False
            session.assigned += 1

    def _steal(self, thief: _Session, thief_id: str) -> None:
        for victim_id, victim in self.sessions.items():
            if victim is thief:
                continue
            for index, served in list(victim.queue.items()):
                if len(thief.queue) >= self.batch_size:
                    return
                if served and index not in self.stolen and not self._finished(index, thief_id) and index not in thief.queue:
                    # Moved, not copied: the number of sessions holding the task stays the same.
                    self.stolen.add(index)
                    del victim.queue[index]
                    thief.queue[index] = False
                    thief.assigned += 1
                    victim.assigned -= 1

    def end_session(self, session_id: str) -> None:
        """The browser closed: its served tasks are no longer being looked at."""
        session = self.sessions.get(session_id)
        if not session:
            return
        if self.mode == "single":
            self.released.extend(i for i, served in session.queue.items() if served)
            session.queue = {i: False for i, served in session.queue.items() if not served}
        elif self.mode == "full":
            session.queue = {}
            session.cursor = 0
        else:
            session.queue = {i: False for i in session.queue}
