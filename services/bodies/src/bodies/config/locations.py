"""Where the service keeps its state and its database, read from the environment.

Light on purpose (no Django): the settings and the migrate command's quick check
(``bodies.config.migration_state``) both read them here.
"""

import os
from pathlib import Path


def state_dir() -> Path:
    """The lab's state folder: ``CUPCAKE_STATE_DIR``, else ``.lab`` in the working directory."""
    return Path(os.environ.get("CUPCAKE_STATE_DIR") or Path.cwd() / ".lab")


def database_url() -> str:
    """``DATABASE_URL``, else the SQLite file ``bodies.sqlite3`` in the state folder."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{state_dir() / 'bodies.sqlite3'}"
