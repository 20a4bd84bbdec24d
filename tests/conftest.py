"""Shared test settings.

The fixture notebooks under tests/fixtures/ are inputs of the pipeline tests (a tiny solution, and the
submissions made from it); nbval must not collect them as notebooks to run when `make test` passes
``--nbval-lax``.
"""
collect_ignore_glob = ["fixtures/*"]

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (``item.rep_call``), so fixtures can act on failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="module")
def torch():
    """The torch module for the tests that compare against it; they are skipped where torch is not installed."""
    return pytest.importorskip("torch")
