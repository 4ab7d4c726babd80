"""A stand-in for Prodigy (Explosion's licensed annotation tool), standard library only.

It implements the public behaviour the app relies on (CONTRACTS.md §C): the CLI,
the banner and shutdown lines, the web endpoints, the SQLite database and the
db-in/db-out/stats/drop commands. Run it as `python3 -m prodigy …` with the
folder above this one on PYTHONPATH. See sandbox/README.md, section "Prodigy".
"""

import sys

# The package lives inside the app's source tree: don't litter it with bytecode.
sys.dont_write_bytecode = True

__version__ = "1.18.4-sandbox"
