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


def _named_codes(text: str, lead: str) -> set[str]:
    start = text.index(lead)
    sentence = text[start:text.index(".", start + len(lead))]
    return set(re.findall(r"PL\d{3}", sentence))


def test_readme_and_configuration_name_every_opt_in_rule():
    """The opt-in rules the docs list are exactly those a run leaves off by default."""
    opt_in = {r.code for r in all_rules() if not r.default}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _named_codes(readme, "Opt-in rules (") == opt_in
    configuration = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert _named_codes(configuration, "Opt-in rules (shown as") == opt_in
