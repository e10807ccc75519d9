"""Relating objects across a run stays linear in the number of alike objects:
a bundle of the same app rendered many times (per tenant, per region) puts every
pod under every Service. The work is counted, not timed: selector matches grow
with the copies, not with their square."""
from __future__ import annotations

from podlint import crossfile
from podlint.run import lint_text

# A served Deployment with neither readiness probe nor preStop: every copy gets
# PL201 and PL301, whose messages name the Services that route to it.
APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
"""


def _tenants(copies: int) -> str:
    """One copy per tenant namespace."""
    return "---\n".join(APP.replace("namespace: shop", f"namespace: t{i}") for i in range(copies))


def _matches(copies: int, monkeypatch, bundle=lambda n: "---\n".join([APP] * n)) -> tuple[int, list]:
    """(selector matches tried, findings) of linting `bundle(copies)`."""
    calls = [0]
    selects = crossfile.ServiceFacts.selects

    def counting(self, labels):
        calls[0] += 1
        return selects(self, labels)

    monkeypatch.setattr(crossfile.ServiceFacts, "selects", counting)
    findings = lint_text(bundle(copies), path="bundle.yaml")
    return calls[0], findings


def test_settling_copies_of_one_app_is_linear(monkeypatch):
    small, few = _matches(20, monkeypatch)
    large, many = _matches(80, monkeypatch)
    assert {f.code for f in few} >= {"PL201", "PL301"}
    assert len(many) == 4 * len(few)            # the same findings per copy
    assert small > 0 and large <= 4 * small + 10, (small, large)


def test_a_finding_names_two_of_many_services_and_counts_the_rest(monkeypatch):
    _, findings = _matches(5, monkeypatch)
    named = [f.message for f in findings if f.code in ("PL201", "PL301")]
    assert len(named) == 10
    assert all('Service "web" (bundle.yaml:17), Service "web" (bundle.yaml:38) and 3 more' in m
               for m in named), named[:1]


def test_copies_in_their_own_namespaces_stay_linear(monkeypatch):
    """One copy per tenant namespace: a pod relates only to its own namespace's
    Service (no kustomization sets the namespace), so nothing is compared across."""
    small, few = _matches(20, monkeypatch, _tenants)
    large, many = _matches(80, monkeypatch, _tenants)
    assert len(many) == 4 * len(few) and small > 0
    assert large <= 4 * small + 10, (small, large)
    # each names its own namespace's Service only
    assert all("and" not in f.message.split("receives traffic from")[1].split(" but ")[0]
               for f in many if f.code == "PL201")
