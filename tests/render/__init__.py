"""Tests of rendering runs and errors as text, numbers, CSV and JSON."""
