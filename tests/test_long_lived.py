"""Building what the process keeps: the cycle collector pauses, and what was built is frozen."""

from __future__ import annotations

import gc

import pytest

from bot.long_lived import kept_for_good


@pytest.fixture(autouse=True)
def _unfrozen_after():
    """Frozen objects outlive the test otherwise: give them back to the collector."""
    yield
    gc.unfreeze()


def test_the_collector_pauses_while_building_and_resumes_after():
    frozen_before = gc.get_freeze_count()
    with kept_for_good():
        assert not gc.isenabled()
        kept = [object() for _ in range(10)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(kept)


def test_a_collector_turned_off_stays_off():
    gc.disable()
    try:
        with kept_for_good():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_build_still_resumes_collecting():
    try:
        with kept_for_good():
            raise RuntimeError("import failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
