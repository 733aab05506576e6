"""Tests of the model layer: reading, running, explaining and editing definitions."""
