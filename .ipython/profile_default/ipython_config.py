# IPython profile for runs whose outputs are stored or compared: `make test`, `make execute` (the Makefile
# sets IPYTHONDIR to this folder) and the grader (which writes this same text into its own temporary
# profile; tests/test_grading.py keeps the two equal).
# No colours, so tracebacks and messages hold no escape codes; no history database, so parallel kernels
# never wait for each other's sqlite lock; PNG figures only, so stored outputs are the same everywhere.
c = get_config()  # noqa: F821
c.InteractiveShell.colors = "nocolor"
c.HistoryManager.enabled = False
c.InlineBackend.figure_formats = {"png"}
