"""`python3 -m prodigy COMMAND …`: a recipe (serves the web app) or a database command."""

import sys

from . import __version__, commands, recipes
from .errors import UsageError, UserError
from .output import err, fail, say, use_utf8

COMMANDS = {"db-out": commands.db_out, "db-in": commands.db_in, "stats": commands.stats, "drop": commands.drop}

USAGE = f"""Prodigy {__version__} (sandbox stand-in, standard library only)

Usage: python3 -m prodigy RECIPE|COMMAND [ARGS]

Recipes (serve the annotation app):
  textcat.manual DATASET SOURCE --label A,B [--exclusive]
  ner.manual     DATASET SPACY_MODEL SOURCE --label A,B     (SPACY_MODEL: blank:en, …)
  spans.manual   DATASET SPACY_MODEL SOURCE --label A,B
  image.manual   DATASET SOURCE --label A,B [--loader images|jsonl]
  mark           DATASET SOURCE --view-id ID [--label A]
  review         DATASET IN_SET1,IN_SET2 --view-id ID [--auto-accept] [--show-skipped]
  (-F recipe.py is accepted and ignored)

Commands:
  db-out DATASET [OUT_DIR] [--answer X] [--flagged-only]
  db-in  DATASET FILE [--answer accept] [--overwrite] [--rehash]
  stats  [DATASET] [-l] [-ls]
  drop   DATASET

See sandbox/prodigy/README.md for every rule and where it comes from."""


def main(argv: list[str]) -> int:
    use_utf8()
    if not argv or argv[0] in ("-h", "--help", "help"):
        say(USAGE)
        return 0
    name, rest = argv[0], argv[1:]
    try:
        if name in ("--version", "version"):
            say(__version__)
            return 0
        if name in COMMANDS:
            return COMMANDS[name](rest)
        if name in recipes.RECIPE_NAMES:
            from . import server  # the web server only when serving

            return server.serve(name, rest)
        raise UserError(f"Can't find recipe or command: {name}", text="Run python3 -m prodigy --help for the list.")
    except UsageError as error:
        err(error.usage)
        err(error.message)
        return 2
    except UserError as error:
        try:
            fail(str(error), error.text, exits=error.code)
        except SystemExit as done:
            return int(done.code or 0)
        return error.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
