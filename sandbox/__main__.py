"""`python -m sandbox` runs the same CLI as the `sandbox` command."""

from sandbox.cli import main

main()
