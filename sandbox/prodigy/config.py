"""Configuration, resolved the way Prodigy does it (lowest to highest precedence):

1. built-in defaults
2. the global file: $PRODIGY_CONFIG if set, else $PRODIGY_HOME/prodigy.json (home: ~/.prodigy)
3. prodigy.json in the current working directory
4. PRODIGY_CONFIG_OVERRIDES, a JSON object string
5. PRODIGY_HOST / PRODIGY_PORT
"""

import json
import os
from pathlib import Path

from .errors import UserError
from .output import log

DEFAULTS = {
    "host": "localhost",
    "port": 8080,
    "db": "sqlite",
    "db_settings": {},
    "feed_overlap": False,
    "annotations_per_task": None,
    "allow_work_stealing": True,
    # prodi.gy/docs/install#config: the flag button only shows when this is true.
    "show_flag": False,
    "instructions": None,
    # prodi.gy/docs/install#config: answers go to the server in batches of batch_size,
    # unless instant_submit sends each at once.
    "batch_size": 10,
    "instant_submit": False,
}

# Never sent to the browser: database settings and anything that looks like a secret.
_PRIVATE_KEYS = ("db_settings",)
_SECRET_WORDS = ("pass", "secret", "token", "api_key", "apikey", "credential", "basic_auth", "oidc")


def home() -> Path:
    return Path(os.environ.get("PRODIGY_HOME") or Path.home() / ".prodigy").expanduser()


def _read_json_file(path: Path, what: str) -> dict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"Can't find {what}: {path}")
    except OSError as error:
        raise UserError(f"Can't read {what} {path}: {error.strerror}")
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as error:
        raise UserError(f"Invalid JSON in {what} {path}: {error.msg} (line {error.lineno}, column {error.colno})")
    if not isinstance(data, dict):
        raise UserError(f"Invalid {what} {path}: expected a JSON object")
    return data


def load() -> dict:
    """The merged, validated configuration. Also creates PRODIGY_HOME, as Prodigy does on first use."""
    prodigy_home = home()
    try:
        prodigy_home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"Can't create the Prodigy home {prodigy_home}: {error.strerror}")

    config = dict(DEFAULTS)
    explicit = os.environ.get("PRODIGY_CONFIG")
    global_file = Path(explicit).expanduser() if explicit else prodigy_home / "prodigy.json"
    if explicit or global_file.is_file():
        config.update(_read_json_file(global_file, "config file"))
        log("CONFIG", f"Using config from global prodigy.json ({global_file.resolve()})")

    local_file = Path.cwd() / "prodigy.json"
    if local_file.is_file() and not _same_file(local_file, global_file):
        config.update(_read_json_file(local_file, "config file"))
        log("CONFIG", f"Merging with local prodigy.json ({local_file.resolve()})")

    overrides = os.environ.get("PRODIGY_CONFIG_OVERRIDES", "").strip()
    if overrides:
        try:
            data = json.loads(overrides)
        except json.JSONDecodeError as error:
            raise UserError(f"Invalid JSON in PRODIGY_CONFIG_OVERRIDES: {error.msg} (column {error.colno})")
        if not isinstance(data, dict):
            raise UserError("Invalid PRODIGY_CONFIG_OVERRIDES: expected a JSON object")
        config.update(data)
        log("CONFIG", f"Applying PRODIGY_CONFIG_OVERRIDES: {', '.join(sorted(data))}")

    if os.environ.get("PRODIGY_HOST"):
        config["host"] = os.environ["PRODIGY_HOST"]
    if os.environ.get("PRODIGY_PORT"):
        config["port"] = os.environ["PRODIGY_PORT"]
    return validate(config)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _int(value, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < low or (high is not None and value > high):
        limit = f"{low}-{high}" if high is not None else f">= {low}"
        raise UserError(f"Config validation error: '{name}' must be a whole number ({limit})")
    return value


def validate(config: dict) -> dict:
    config["port"] = _int(config.get("port"), "port", 0, 65535)
    config["batch_size"] = _int(config.get("batch_size"), "batch_size", 1)
    if not isinstance(config.get("host"), str) or not config["host"].strip():
        raise UserError("Config validation error: 'host' must be a non-empty string")
    for key in ("feed_overlap", "allow_work_stealing", "show_flag", "instant_submit"):
        if not isinstance(config.get(key), bool):
            raise UserError(f"Config validation error: '{key}' must be true or false")
    per_task = config.get("annotations_per_task")
    if per_task is not None:
        if isinstance(per_task, bool) or not isinstance(per_task, (int, float)) or per_task < 1:
            raise UserError("Config validation error: 'annotations_per_task' must be a number >= 1")
        if config["feed_overlap"]:
            raise UserError(
                "Config validation error: 'feed_overlap' can't be true when 'annotations_per_task' is set. "
                "Use feed_overlap for every annotator on every task, or annotations_per_task for partial overlap."
            )
    if str(config.get("db") or "sqlite").lower() != "sqlite":
        raise UserError(f"Config validation error: the Prodigy sandbox only supports 'db': 'sqlite' (got {config.get('db')!r})")
    if config.get("db_settings") is not None and not isinstance(config["db_settings"], dict):
        raise UserError("Config validation error: 'db_settings' must be an object")
    if config.get("instructions") is not None and not isinstance(config["instructions"], str):
        raise UserError("Config validation error: 'instructions' must be the path of an HTML file")
    return config


def db_path(config: dict) -> str:
    """db_settings.sqlite.{path,name}; default $PRODIGY_HOME/prodigy.db. `:memory:` is allowed."""
    settings = (config.get("db_settings") or {}).get("sqlite") or {}
    name = settings.get("name") or "prodigy.db"
    if name == ":memory:":
        return name
    folder = Path(settings["path"]).expanduser() if settings.get("path") else home()
    return str(folder / name)


def public(config: dict) -> dict:
    """The config as the browser may see it."""
    shown = {}
    for key, value in config.items():
        lowered = key.lower()
        if key in _PRIVATE_KEYS or any(word in lowered for word in _SECRET_WORDS):
            continue
        shown[key] = value
    return shown
