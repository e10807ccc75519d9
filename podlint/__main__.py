"""`python -m podlint` is the same as the `podlint` command."""
from podlint.cli import main

main()
