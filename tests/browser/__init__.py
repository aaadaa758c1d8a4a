"""Tests that open the rendered pages in headless Chromium (see tests/browserkit.py)."""
