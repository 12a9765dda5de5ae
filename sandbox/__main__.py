"""`python -m sandbox` runs the same CLI as the `sandbox` command."""

from sandbox.console import main

main()
