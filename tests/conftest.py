"""Shared pytest set-up. Fixtures that build data live in tests/factories.py."""
