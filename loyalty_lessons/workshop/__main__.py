"""``python -m loyalty_lessons.workshop [--port N]``: serve the dashboard until Ctrl+C."""

import sys

from loyalty_lessons.workshop.server import main

__all__: list[str] = []

if __name__ == "__main__":  # not when a test collector imports the module
    sys.exit(main())
