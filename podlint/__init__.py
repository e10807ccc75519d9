"""podlint: static analysis of Kubernetes pod manifests.

Kept free of imports so that `podlint --version` stays at interpreter speed.
"""
__version__ = "0.1.0"
