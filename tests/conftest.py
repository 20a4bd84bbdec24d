"""Shared test settings.

The fixture notebooks under tests/fixtures/ are inputs of the pipeline tests (a tiny solution, and the
submissions made from it); nbval must not collect them as notebooks to run when `make test` passes
``--nbval-lax``.
"""
collect_ignore_glob = ["fixtures/*"]
