"""Robustness and security tests (issue 7): hostile input, file accounting,
nothing-but-reading, contained crashes and deterministic output.
docs/robustness.md lists each behaviour with the test that shows it."""
