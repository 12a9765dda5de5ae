"""``python -m sandbox.datasets [--check] [FOLDER]``: rebuild (or compare) the shipped CSVs."""

from sandbox.datasets.generators import main

raise SystemExit(main())
