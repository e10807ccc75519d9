"""The built-in rule pack, installed as `podlint.rules` (never as a global `rules`).

One module per rule, named `plNNN_rule_name.py` so that `ls` lists rules in code
order. Copy `pl502_unused_volume.py` to start a new one; read docs/contributing.md.
"""
