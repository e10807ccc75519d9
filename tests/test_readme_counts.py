"""The README's rule count and groups are the catalogue's."""
import re

from podlint.registry import all_rules
from tests.helpers import ROOT


def test_readme_counts_every_rule_and_group():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    count, groups = re.search(r"(\d+) rules in (\w+) groups", readme).groups()
    rules = all_rules()
    assert int(count) == len(rules)
    words = {"six": 6, "seven": 7, "eight": 8}
    assert words[groups] == len({r.code[:3] for r in rules})
