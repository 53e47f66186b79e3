"""The server's private data folder, which every page's kernel reads and writes.

The workshop server makes a temporary folder and names it to every page's kernel in the
environment variable :data:`FOLDER_ENV`: the active dataset
(:mod:`~loyalty_lessons.workshop.store`) and the room's votes
(:mod:`~loyalty_lessons.workshop.votes`) live there. This module imports nothing heavy, so
that a participant's scorecard page finds the folder without pandas.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["FOLDER_ENV", "data_folder"]

#: Environment variable naming the server's data folder, read by every page's kernel.
FOLDER_ENV = "LOYALTY_WORKSHOP_DIR"


def data_folder(folder: str | Path | None = None) -> Path | None:
    """``folder``, else the folder :data:`FOLDER_ENV` names; None when neither is given.

    Examples
    --------
    >>> data_folder("/tmp/room")
    PosixPath('/tmp/room')
    """
    folder = folder if folder is not None else os.environ.get(FOLDER_ENV)
    return Path(folder) if folder else None
