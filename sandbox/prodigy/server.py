"""Serving a recipe: the startup lines, the web server, and the shutdown summary.

Order of events, as with real Prodigy (uvicorn): load and check everything, print
`Added dataset …` (new datasets only) and the two banner lines on stdout, *then* bind. A
supervisor must therefore poll GET /project rather than trust the banner. SIGINT and SIGTERM
stop the server, print the three summary lines and exit 0.
"""

import base64
import binascii
import hmac
import json
import os
import secrets
import signal
import socket
import socketserver
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import __version__, config as config_module, recipes
from .controller import Controller
from .db import DB_NAME, Database, timestamp_session_name
from .errors import HTTPError, UserError
from .loaders import strict_json
from .output import err, good, log, say

PAGE_FILE = Path(__file__).with_name("app.html")
MAX_BODY = 256 * 1024 * 1024  # answers may carry data: URI images
_JSON = "application/json"


# Environment ------------------------------------------------------------------------------------

def _switches() -> dict:
    """The sandbox's test switches (PRODIGY_SANDBOX_*), checked before anything happens."""
    env = os.environ
    found = {"crash_after": None, "slow_start": 0.0, "bind_fail": False}
    raw = env.get("PRODIGY_SANDBOX_CRASH_AFTER", "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise UserError(f"PRODIGY_SANDBOX_CRASH_AFTER must be a whole number >= 1 (got {raw!r})")
        found["crash_after"] = int(raw)
    raw = env.get("PRODIGY_SANDBOX_SLOW_START", "").strip()
    if raw:
        try:
            found["slow_start"] = float(raw)
        except ValueError:
            found["slow_start"] = -1.0
        if not 0 <= found["slow_start"] < 3600:
            raise UserError(f"PRODIGY_SANDBOX_SLOW_START must be a number of seconds (got {raw!r})")
    found["bind_fail"] = env.get("PRODIGY_SANDBOX_BIND_FAIL", "").strip().lower() in ("1", "true", "yes")
    return found


def _basic_auth() -> tuple[str, str] | None:
    user = os.environ.get("PRODIGY_BASIC_AUTH_USER", "")
    password = os.environ.get("PRODIGY_BASIC_AUTH_PASS", "")
    if bool(user) != bool(password):
        # Starting unprotected when protection was asked for would be the worst outcome.
        raise UserError("Set both PRODIGY_BASIC_AUTH_USER and PRODIGY_BASIC_AUTH_PASS, or neither: only one is set.")
    return (user, password) if user else None


def _allowed_sessions() -> list[str] | None:
    names = [name.strip() for name in os.environ.get("PRODIGY_ALLOWED_SESSIONS", "").split(",") if name.strip()]
    return list(dict.fromkeys(names)) or None


def _instructions(config: dict) -> str | None:
    path = config.get("instructions")
    if not path:
        return None
    try:
        return Path(path).expanduser().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise UserError(f"Can't read the instructions file {path}: {reason}")


def bind_error(host: str, port: int, errno: int, reason: str) -> str:
    return f"ERROR: [Errno {errno}] error while attempting to bind on address {(host, port)!r}: {reason}"


# HTTP -------------------------------------------------------------------------------------------

class Server(ThreadingHTTPServer):
    daemon_threads = True  # a request in flight never keeps the process alive

    def __init__(self, host: str, port: int, controller: Controller, auth, page: str):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.controller = controller
        self.auth = auth
        self.page = page
        super().__init__((host, port), Handler)

    def server_bind(self):
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a machine without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "uvicorn"
    sys_version = ""
    timeout = 120  # idle keep-alive connections end eventually
    server: Server

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        log("SERVER", format % args, verbose=True)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        try:
            if not self._authorized():
                self.close_connection = True  # the body, if any, was not read
                self._json(401, {"error": "Unauthorized: this Prodigy server needs HTTP Basic credentials."},
                           {"WWW-Authenticate": 'Basic realm="Prodigy"'})
                return
            url = urlsplit(self.path)
            route = _ROUTES.get(url.path)
            if route is None and url.path.startswith("/project/"):
                route = _ROUTES["/project"]
            if route is None:
                raise HTTPError(404, "Not Found")
            if route[0] != method:
                raise HTTPError(405, "Method Not Allowed")
            route[1](self, url)
        except HTTPError as error:
            self._json(error.status, {"error": error.message})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # a bug in the stand-in: say so, keep serving
            traceback.print_exc()
            self._json(500, {"error": "Internal Server Error"})

    def _authorized(self) -> bool:
        auth = self.server.auth
        if auth is None:
            return True
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, sep, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user_ok = hmac.compare_digest(user.encode(), auth[0].encode())
        password_ok = hmac.compare_digest(password.encode(), auth[1].encode())
        return bool(sep) and user_ok and password_ok

    def _body(self) -> dict:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = self._read_chunked()
        else:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                self.close_connection = True
                raise HTTPError(400, "Invalid Content-Length")
            if length > MAX_BODY:
                self.close_connection = True
                raise HTTPError(413, "Request body too large")
            raw = self.rfile.read(length) if length > 0 else b""
        try:
            data = strict_json(raw.decode("utf-8")) if raw.strip() else None
        except (UnicodeDecodeError, ValueError) as error:
            detail = error.msg if isinstance(error, json.JSONDecodeError) else ("not UTF-8" if isinstance(error, UnicodeDecodeError) else str(error))
            raise HTTPError(400, f"Malformed JSON body: {detail}")
        if not isinstance(data, dict):
            raise HTTPError(400, "The request body must be a JSON object")
        return data

    def _read_chunked(self) -> bytes:
        chunks, total = [], 0
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";")[0].strip() or b"0", 16)
            except ValueError:
                self.close_connection = True
                raise HTTPError(400, "Malformed chunked body")
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                self.close_connection = True
                raise HTTPError(413, "Request body too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), _JSON, headers)

    # Routes ---------------------------------------------------------------------------------

    def page(self, url) -> None:
        name = parse_qs(url.query).get("session", [None])[0]
        controller = self.server.controller
        controller.resolve(controller.session_id_of(name) if name else None)
        nonce = secrets.token_urlsafe(16)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
               "img-src 'self' data: blob: http: https:; media-src 'self' data: blob: http: https:; base-uri 'none'; form-action 'none'")
        body = self.server.page.replace("{{NONCE}}", nonce).encode("utf-8")
        self._send(200, body, "text/html; charset=utf-8", {"Content-Security-Policy": csp})

    def favicon(self, _url) -> None:
        self._send(204, b"", "image/x-icon")

    def project(self, _url) -> None:
        self._json(200, self.server.controller.project())

    def version(self, _url) -> None:
        self._json(200, {"name": "prodigy", "version": __version__, "sandbox": True,
                         "description": "Stand-in for Prodigy (sandbox/prodigy)"})

    def get_questions(self, _url) -> None:
        controller = self.server.controller
        self._json(200, controller.questions(controller.resolve(None)))

    def get_session_questions(self, _url) -> None:
        controller = self.server.controller
        body = self._body()
        self._json(200, controller.questions(controller.resolve(body.get("session_id"))))

    def give_answers(self, _url) -> None:
        controller = self.server.controller
        body = self._body()
        session_id = controller.resolve(body.get("session_id"))
        self._json(200, controller.give_answers(session_id, body.get("answers")))

    def end_session(self, _url) -> None:
        controller = self.server.controller
        self._json(200, controller.end_session(controller.resolve(self._body().get("session_id"))))

    def set_session_aliases(self, _url) -> None:
        controller = self.server.controller
        controller.resolve(self._body().get("session_id"))
        self._json(200, {})

    def validate_answer(self, _url) -> None:
        self._body()
        self._json(200, {})


_ROUTES = {
    "/": ("GET", Handler.page),
    "/index.html": ("GET", Handler.page),
    "/favicon.ico": ("GET", Handler.favicon),
    "/project": ("GET", Handler.project),
    "/version": ("GET", Handler.version),
    "/get_questions": ("GET", Handler.get_questions),
    "/get_session_questions": ("POST", Handler.get_session_questions),
    "/give_answers": ("POST", Handler.give_answers),
    "/end_session": ("POST", Handler.end_session),
    "/set_session_aliases": ("POST", Handler.set_session_aliases),
    "/validate_answer": ("POST", Handler.validate_answer),
}


# Lifecycle --------------------------------------------------------------------------------------

def serve(recipe_name: str, argv: list[str]) -> int:
    stop = threading.Event()

    def on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    switches = _switches()
    auth = _basic_auth()
    allowed = _allowed_sessions()
    config = config_module.load()
    page = PAGE_FILE.read_text(encoding="utf-8")
    db = Database(config_module.db_path(config))
    recipe = recipes.build(recipe_name, argv, config, db)
    instructions = _instructions(config)

    _, created = db.add_dataset(recipe.dataset)
    if created:
        say(f"Added dataset {recipe.dataset} to database {DB_NAME}.")
        log("DB", f"Creating unstructured dataset '{recipe.dataset}'")
    run_session = timestamp_session_name()
    db.add_dataset(run_session, session=True)
    controller = Controller(recipe, config, db, run_session, allowed, instructions, switches["crash_after"])
    if recipe.auto_answers:
        now = int(time.time())
        # A restarted review must not save the unanimous examples a second time.
        fresh = [eg for eg in recipe.auto_answers if recipes.question_key(eg, "review") not in controller.answered_keys]
        for example in fresh:
            example.update({"_timestamp": now, "_session_id": run_session, "_annotator_id": run_session})
            controller.save(example, [recipe.dataset, run_session])
        log("RECIPE", f"Auto-accepted {len(fresh)} unanimous examples")

    host, port = config["host"], config["port"]
    shown_host = f"[{host}]" if ":" in host else host
    say(f"✨  Starting the web server at http://{shown_host}:{port} ...")
    say("Open the app in your browser and start annotating!")
    say()

    if switches["slow_start"]:
        stop.wait(switches["slow_start"])
    if stop.is_set():
        return _shutdown(None, controller)
    if switches["bind_fail"]:
        err(bind_error(host, port, 98, "address already in use"))
        return 1
    try:
        httpd = Server(host, port, controller, auth, page)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        err(bind_error(host, port, error.errno if error.errno is not None else 0, reason))
        return 1

    err(f"INFO:     Started server process [{os.getpid()}]")
    err("INFO:     Waiting for application startup.")
    err("INFO:     Application startup complete.")
    err(f"INFO:     Uvicorn running on http://{shown_host}:{port} (Press CTRL+C to quit)")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="http", daemon=True)
    thread.start()
    while not stop.wait(0.5):
        pass
    return _shutdown(httpd, controller)


def _shutdown(httpd: Server | None, controller: Controller) -> int:
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
        err("INFO:     Shutting down")
        err("INFO:     Waiting for application shutdown.")
        err("INFO:     Application shutdown complete.")
        err(f"INFO:     Finished server process [{os.getpid()}]")
    # Taking the lock waits for an answer being saved right now, and keeps later ones out.
    with controller.lock:
        good(f"Saved {controller.saved} annotations to database {DB_NAME}")
        say(f"Dataset: {controller.recipe.dataset}")
        say(f"Session ID: {controller.run_session}")
        controller.db.close()
        # Request threads are daemons, but leave no doubt: nothing may keep this process alive.
        os._exit(0)
