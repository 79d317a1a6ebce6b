"""The Django secret key: from the environment, else generated once into the lab state dir."""

import os
import tempfile
from pathlib import Path

from django.core.management.utils import get_random_secret_key

SECRET_KEY_FILE_NAME = "bodies-secret-key"


def secret_key_load(*, state_dir: Path) -> str:
    """Return the key kept in ``state_dir``, creating it (mode 0600) on first use."""
    path = state_dir / SECRET_KEY_FILE_NAME
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        # Written aside, then hard-linked into place: when two processes start at once,
        # exactly one key wins and no reader ever sees a half-written file.
        fd, scratch = tempfile.mkstemp(dir=state_dir, prefix=".secret-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(get_random_secret_key())
            os.link(scratch, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(scratch)
    return path.read_text(encoding="ascii").strip()
