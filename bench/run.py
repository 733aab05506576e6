"""Run the whole benchmark and print one table: `python bench/run.py [--quick] [--json PATH]`."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, Python puts bench/ first on the path; the repository root is what we need.
sys.path[0] = str(REPO)

from bench.suite import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
