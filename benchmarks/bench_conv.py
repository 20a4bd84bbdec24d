"""Time convzoo's convolution core against torch CPU and the numpy matrix-multiply ceiling (issue 9).

Run with ``make bench`` (or ``python benchmarks/bench_conv.py --help``). Three parts:

1. **Reference layers** (batch 8, float32), each timed *interleaved* in one process: every repeat runs
   convzoo, torch (when importable) and a numpy float32 matmul with the same FLOP count once each, in
   turn, so a drift of the machine's speed hits all of them alike; the median of the repeats is reported.
   Torch is then timed again in a process of its own, and that time is the one compared (in-process, it is
   slowed by numpy's still-spinning BLAS threads; see :func:`torch_alone`).
   The matmul has the shape of the layer's im2col product ``(groups, N*out, Cg*k) @ (groups, Cg*k, Cout/g)``
   (for the transposed layer, the shape of its scatter product), which is the ceiling of an im2col design.
   The naive loop twin is timed on one small case only (it is the textbook, slow on purpose).
2. **Chapter notebooks**: each ``notebooks/NN_*.ipynb`` executed top to bottom in a fresh kernel
   (``python -m convzoo execute`` on a temporary copy, never in place), whole-process wall time.
3. **Explorers**: every ``*_explorer`` of the ``convzoo.widgets`` topic modules is built and its
   ``redraw()`` (draw + PNG) timed several times; the median is reported.

Results: a table on stdout, and ``benchmarks/results/bench.csv`` / ``bench.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import csv
import importlib
import inspect
import json
import os
import pkgutil
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

import convzoo as cz  # noqa: E402
from convzoo.core import conv_general_naive  # noqa: E402

BATCH = 8
CLOCK = time.perf_counter    # --cpu-time: time.thread_time (one thread's CPU time)


# ---- the reference layers -----------------------------------------------------------------------
def layers():
    """The reference layers of issue 9: name, convzoo/torch function names, shapes and arguments."""
    return [
        dict(name="resnet 3x3 64->64 @56", op="conv2d", x=(BATCH, 64, 56, 56), w=(64, 64, 3, 3),
             kw=dict(padding=1)),
        dict(name="pointwise 1x1 256->64 @56", op="conv2d", x=(BATCH, 256, 56, 56), w=(64, 256, 1, 1), kw={}),
        dict(name="first 7x7/2 3->64 @224", op="conv2d", x=(BATCH, 3, 224, 224), w=(64, 3, 7, 7),
             kw=dict(stride=2, padding=3)),
        dict(name="depthwise 3x3 g=128 @112", op="conv2d", x=(BATCH, 128, 112, 112), w=(128, 1, 3, 3),
             kw=dict(padding=1, groups=128)),
        dict(name="grouped 3x3 128->128 g=8 @28", op="conv2d", x=(BATCH, 128, 28, 28), w=(128, 16, 3, 3),
             kw=dict(padding=1, groups=8)),
        dict(name="transposed 4x4/2 64->32 @28", op="conv_transpose2d", x=(BATCH, 64, 28, 28),
             w=(64, 32, 4, 4), kw=dict(stride=2, padding=1)),
        # the forward convolution of the same shape (the adjoint of the one above), for the 1.5x goal
        dict(name="(its forward) 4x4/2 32->64 @56", op="conv2d", x=(BATCH, 32, 56, 56), w=(64, 32, 4, 4),
             kw=dict(stride=2, padding=1)),
        dict(name="conv3d 3x3x3 16->16 @16x32x32", op="conv3d", x=(BATCH, 16, 16, 32, 32), w=(16, 16, 3, 3, 3),
             kw=dict(padding=1)),
    ]


def gemm_shape(layer, out_shape):
    """(groups, M, K, Nc): the matrix product an im2col design does for this layer."""
    x, w = layer["x"], layer["w"]
    g = layer["kw"].get("groups", 1)
    taps = int(np.prod(w[2:]))
    if layer["op"].startswith("conv_transpose"):
        # scatter design: (N * input pixels, C_in/g) @ (C_in/g, C_out/g * taps), per group
        return g, x[0] * int(np.prod(x[2:])), x[1] // g, w[1] * taps
    return g, x[0] * int(np.prod(out_shape[2:])), w[1] * taps, w[0] // g


def flops_of(g, m, k, n):
    return 2 * g * m * k * n


def numpy_threads() -> int:
    """How many threads numpy's BLAS uses (threadpoolctl when present, else the environment, else cores)."""
    try:
        from threadpoolctl import threadpool_info

        blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if blas:
            return int(blas[0]["num_threads"])
    except ImportError:
        pass
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return statistics.median(times)


def torch_alone(repeats: int, threads: int) -> dict:
    """Median time of each reference layer in torch, in a process of its own (run by ``--torch-alone``).

    Timed in the benchmark's own process, right after numpy's calls, torch is slowed by OpenBLAS's worker
    threads still spinning (its ResNet layer: 23-49 ms there against 14.6 ms alone on a quiet 2-core machine),
    so the cz/torch ratios use this number; the in-process one is kept in the CSV as ``torch_inprocess_ms``.
    """
    import torch

    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    out = {}
    with torch.no_grad():
        for layer in layers():
            x = torch.from_numpy(rng.standard_normal(layer["x"], dtype=np.float32))
            w = torch.from_numpy(rng.standard_normal(layer["w"], dtype=np.float32))
            f = getattr(torch.nn.functional, layer["op"])
            f(x, w, **layer["kw"])   # warm-up
            out[layer["name"]] = median_time(lambda: f(x, w, **layer["kw"]), repeats)
    return out


def _torch_alone_in_subprocess(repeats: int, threads: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--torch-alone", str(repeats), "--threads", str(threads)],
                          capture_output=True, text=True)
    if proc.returncode:
        print(f"torch alone failed, keeping the in-process torch times: {proc.stderr.strip()[-300:]}",
              file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_layers(repeats: int, use_torch: bool, progress, gap: float = 0.0) -> list[dict]:
    torch = None
    if use_torch:
        try:
            import torch  # noqa: F811
        except ImportError:
            torch = None
    threads = numpy_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    rows = []
    for layer in layers():
        x = rng.standard_normal(layer["x"], dtype=np.float32)
        w = rng.standard_normal(layer["w"], dtype=np.float32)
        ours = getattr(cz, layer["op"])
        y = ours(x, w, **layer["kw"])
        g, m, k, n = gemm_shape(layer, y.shape)
        a = rng.standard_normal((g, m, k), dtype=np.float32)
        b = rng.standard_normal((g, k, n), dtype=np.float32)
        flops = flops_of(g, m, k, n)
        funcs = {"convzoo": lambda: ours(x, w, **layer["kw"]), "gemm": lambda: np.matmul(a, b)}
        if torch is not None:
            tx, tw = torch.from_numpy(x), torch.from_numpy(w)
            tf = getattr(torch.nn.functional, layer["op"])
            theirs = tf(tx, tw, **layer["kw"]).numpy()
            err = float(np.max(np.abs(theirs - y)) / (np.max(np.abs(theirs)) or 1))
            if err > 1e-4:
                raise AssertionError(f"{layer['name']}: convzoo and torch differ (relative error {err:.2e})")

            def run_torch(tf=tf, tx=tx, tw=tw, kw=layer["kw"]):
                with torch.no_grad():
                    tf(tx, tw, **kw)
            funcs["torch"] = run_torch
        for f in funcs.values():   # warm-up: first-touch of memory, BLAS thread start, caches
            f()
        times = {name: [] for name in funcs}
        for _ in range(repeats):   # interleaved: each repeat runs every contender once
            for name, f in funcs.items():
                if gap:
                    time.sleep(gap)   # let the previous contender's spinning worker threads go idle
                t0 = CLOCK()
                f()
                times[name].append(CLOCK() - t0)
        med = {name: statistics.median(t) for name, t in times.items()}
        row = dict(layer=layer["name"], flops=flops, gemm=f"{g}x({m}x{k} @ {k}x{n})", threads=threads,
                   convzoo_ms=1e3 * med["convzoo"], gemm_ms=1e3 * med["gemm"],
                   torch_ms=1e3 * med["torch"] if "torch" in med else None)
        row["convzoo_gflops"] = flops / med["convzoo"] / 1e9
        row["gemm_gflops"] = flops / med["gemm"] / 1e9
        row["torch_gflops"] = flops / med["torch"] / 1e9 if "torch" in med else None
        row["convzoo_over_torch"] = med["torch"] / med["convzoo"] if "torch" in med else None
        row["convzoo_over_gemm"] = med["gemm"] / med["convzoo"]
        rows.append(row)
        progress(f"layer {layer['name']}: convzoo {row['convzoo_ms']:.1f} ms"
                 + (f", torch {row['torch_ms']:.1f} ms" if row["torch_ms"] is not None else "")
                 + f", gemm {row['gemm_ms']:.1f} ms")
    if torch is not None and CLOCK is time.perf_counter:
        progress("torch alone, in a process of its own")
        alone = _torch_alone_in_subprocess(repeats, threads)
        for row in rows if alone else []:
            t = alone[row["layer"]]
            row["torch_inprocess_ms"] = row["torch_ms"]
            row["torch_ms"] = 1e3 * t
            row["torch_gflops"] = row["flops"] / t / 1e9
            row["convzoo_over_torch"] = t / (row["convzoo_ms"] / 1e3)
    # the naive twin, on one small case (a 3x3 8->8 layer on 16x16, batch 1): it is the textbook
    x = rng.standard_normal((1, 8, 16, 16), dtype=np.float32)
    w = rng.standard_normal((8, 8, 3, 3), dtype=np.float32)
    flops = flops_of(1, 16 * 16, 8 * 9, 8)
    t_naive = median_time(lambda: conv_general_naive(x, w, padding=1), max(1, min(repeats, 3)))
    t_fast = median_time(lambda: cz.conv2d(x, w, padding=1), repeats)
    rows.append(dict(layer="naive twin, 3x3 8->8 @16 b1", flops=flops, gemm="", threads=threads,
                     convzoo_ms=1e3 * t_naive, gemm_ms=None, torch_ms=None,
                     convzoo_gflops=flops / t_naive / 1e9, gemm_gflops=None, torch_gflops=None,
                     convzoo_over_torch=None, convzoo_over_gemm=None, vectorized_ms=1e3 * t_fast,
                     naive_over_vectorized=t_naive / t_fast))
    progress(f"layer naive twin: {1e3 * t_naive:.0f} ms ({t_naive / t_fast:.0f}x the vectorized {1e3 * t_fast:.2f} ms)")
    return rows


# ---- chapter notebooks ----------------------------------------------------------------------------
def bench_notebooks(pattern: str, progress) -> list[dict]:
    rows = []
    env = dict(os.environ, IPYTHONDIR=str(ROOT / ".ipython"), PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)
    for nb in sorted(ROOT.glob(pattern)):
        with tempfile.TemporaryDirectory() as tmp:
            # the copy sits at the same depth as notebooks/, so relative links (../exercises) still resolve
            copy = Path(tmp) / "notebooks" / nb.name
            copy.parent.mkdir()
            shutil.copy(nb, copy)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "convzoo", "execute", str(copy)], env=env,
                                  capture_output=True, text=True)
            dt = time.perf_counter() - t0
        ok = proc.returncode == 0
        rows.append(dict(notebook=nb.name, seconds=dt, ok=ok,
                         error="" if ok else (proc.stderr.strip().splitlines() or ["?"])[-1][:200]))
        progress(f"notebook {nb.name}: {dt:.1f} s" + ("" if ok else f" FAILED: {rows[-1]['error']}"))
    return rows


# ---- explorers --------------------------------------------------------------------------------------
def discover_explorers():
    """(module, name, function) for every ``*_explorer`` defined in a convzoo.widgets topic module."""
    import convzoo.widgets as widgets

    found = []
    for info in pkgutil.iter_modules(widgets.__path__):
        if info.name == "common":
            continue
        mod = importlib.import_module(f"convzoo.widgets.{info.name}")
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if name.endswith("_explorer") and fn.__module__ == mod.__name__:
                found.append((info.name, name, fn))
    return found


def _moves(control) -> list:
    """Values a reader moves ``control`` to from where it starts: a slider's neighbours, a dropdown's other
    options, a check box's other state."""
    v = control.value
    if hasattr(control, "options") and control.options:
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [o for o in values if o != v][:3]
    if isinstance(v, bool):
        return [not v]
    if hasattr(control, "min") and hasattr(control, "max") and isinstance(v, (int, float)):
        step = getattr(control, "step", 1) or 1
        return [x for x in (v + step, v - step, v + 2 * step) if control.min <= x <= control.max]
    return []


def bench_explorers(repeats: int, progress, only: str = "") -> list[dict]:
    """Median time of a redraw after a control moves (a slider to a neighbouring value, ...), with the
    explorer's picture cache emptied first, so every timed redraw really draws; settings the explorer
    refuses (a message instead of a picture) are not counted."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    rows = []
    for module, name, fn in discover_explorers():
        if only and only not in f"{module}.{name}":
            continue
        try:
            t0 = time.perf_counter()
            e = fn()
            build = time.perf_counter() - t0
            times = []
            for _ in range(repeats):
                for control in e.controls.values():
                    start = control.value
                    for value in _moves(control) + [start]:
                        e._pictures.clear()
                        t0 = time.perf_counter()
                        control.value = value  # the explorer observes it and redraws
                        dt = time.perf_counter() - t0
                        if not _strip_html(e.message.value):
                            times.append(dt)
            row = dict(explorer=f"{module}.{name}", build_ms=1e3 * build,
                       redraw_ms=1e3 * statistics.median(times) if times else None,
                       redraw_max_ms=1e3 * max(times) if times else None, redraws=len(times),
                       message="" if times else "no valid setting among the moves")
        except Exception as exc:  # an unfinished explorer must not stop the benchmark
            row = dict(explorer=f"{module}.{name}", build_ms=None, redraw_ms=None, redraw_max_ms=None, redraws=0,
                       message=f"{type(exc).__name__}: {exc}"[:200])
        rows.append(row)
        shown = "failed" if row["redraw_ms"] is None else f"{row['redraw_ms']:.0f} ms"
        progress(f"explorer {row['explorer']}: redraw {shown}" + (f" ({row['message']})" if row["message"] else ""))
    return rows


def _strip_html(s: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", s or "").strip()


# ---- output ---------------------------------------------------------------------------------------
def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def print_tables(result):
    if result.get("layers"):
        print(f"\nReference layers, batch {BATCH}, float32, {result['machine']['threads']} thread(s); "
              f"median of {result['repeats']} interleaved repeats ({result['clock']})")
        head = f"{'layer':34} {'GFLOP':>6} {'convzoo ms':>10} {'torch ms':>9} {'gemm ms':>8} " \
               f"{'cz GF/s':>8} {'torch GF/s':>10} {'gemm GF/s':>9} {'cz/torch':>8} {'cz/gemm':>7}"
        print(head)
        print("-" * len(head))
        for r in result["layers"]:
            print(f"{r['layer']:34} {r['flops'] / 1e9:6.2f} {fmt(r['convzoo_ms'], '10.1f')} "
                  f"{fmt(r['torch_ms'], '9.1f')} {fmt(r['gemm_ms'], '8.1f')} {fmt(r['convzoo_gflops'], '8.1f')} "
                  f"{fmt(r['torch_gflops'], '10.1f')} {fmt(r['gemm_gflops'], '9.1f')} "
                  f"{fmt(r['convzoo_over_torch'], '8.2f')} {fmt(r['convzoo_over_gemm'], '7.2f')}")
        by = {r["layer"]: r for r in result["layers"]}
        t, f = by.get("transposed 4x4/2 64->32 @28"), by.get("(its forward) 4x4/2 32->64 @56")
        if t and f:
            print(f"transposed / its forward convolution (time): {t['convzoo_ms'] / f['convzoo_ms']:.2f}x")
        print("(cz/torch and cz/gemm are speed ratios: convzoo's GFLOP/s over theirs; the naive row's "
              "'convzoo ms' is the loop twin)")
    if result.get("notebooks"):
        print("\nChapter notebooks (full execution in a fresh kernel, whole process)")
        for r in result["notebooks"]:
            print(f"  {r['notebook']:50} {r['seconds']:6.1f} s" + ("" if r["ok"] else f"  FAILED: {r['error']}"))
    if result.get("explorers"):
        print(f"\nExplorers (redraw after a control moves to a neighbouring value, picture cache emptied; "
              f"{result['explorer_repeats']} rounds over every control; goal: median <= 50 ms)")
        for r in result["explorers"]:
            print(f"  {r['explorer']:50} median {fmt(r['redraw_ms'], '5.0f')} ms  max {fmt(r['redraw_max_ms'], '5.0f')} ms"
                  f"  ({r['redraws']} redraws; build {fmt(r['build_ms'], '.0f')} ms)"
                  + (f"  [{r['message']}]" if r["message"] else ""))


def write_results(result, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    for part in ("layers", "notebooks", "explorers"):
        rows = result.get(part)
        if rows:
            keys = list(dict.fromkeys(k for r in rows for k in r))
            with open(out / f"bench_{part}.csv", "w", newline="") as fh:
                wr = csv.DictWriter(fh, keys)
                wr.writeheader()
                wr.writerows(rows)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--layers-only", action="store_true", help="only the reference layers")
    p.add_argument("--no-notebooks", action="store_true", help="skip the chapter notebooks (the slow part)")
    p.add_argument("--no-explorers", action="store_true", help="skip the explorers")
    p.add_argument("--no-layers", action="store_true", help="skip the reference layers")
    p.add_argument("--no-torch", action="store_true", help="do not time torch even if it is importable")
    p.add_argument("--cpu-time", action="store_true",
                   help="layers on ONE thread (numpy's BLAS and torch limited to 1), timed by that thread's CPU "
                        "time: a measure of the work done that other processes on a shared machine barely "
                        "disturb (wall-clock times of 2-thread BLAS are wrecked by any competing process)")
    p.add_argument("--repeats", type=int, default=7, help="interleaved repeats per layer (default: 7)")
    p.add_argument("--gap", type=float, default=0.05,
                   help="seconds of idle before each timed call, so that BLAS/OpenMP worker threads still "
                        "spinning after the previous contender do not steal its cores (default: 0.05)")
    p.add_argument("--explorers", default="", metavar="TEXT",
                   help="only the explorers whose 'module.name' contains TEXT (e.g. grouped)")
    p.add_argument("--explorer-repeats", type=int, default=5, help="rounds of moves over every control of each explorer (default: 5)")
    p.add_argument("--notebooks", default="notebooks/[0-9][0-9]_*.ipynb", help="glob, relative to the repo")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results"), help="folder for CSV and JSON")
    p.add_argument("--torch-alone", type=int, metavar="REPEATS", help=argparse.SUPPRESS)
    p.add_argument("--threads", type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.torch_alone:   # the child process of bench_layers: torch's times, as one JSON line
        print(json.dumps(torch_alone(args.torch_alone, args.threads or numpy_threads())))
        return 0
    if args.cpu_time:
        one = {v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        if any(os.environ.get(k) != v for k, v in one.items()):   # BLAS reads these when it loads: re-exec
            os.execve(sys.executable, [sys.executable, __file__] + sys.argv[1:], dict(os.environ, **one))
        global CLOCK
        CLOCK = time.thread_time

    def progress(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    result = dict(machine=dict(python=platform.python_version(), numpy=np.__version__, cpus=os.cpu_count(),
                               processor=platform.processor() or platform.machine(), threads=numpy_threads()),
                  repeats=args.repeats, explorer_repeats=args.explorer_repeats, gap=args.gap,
                  clock="thread CPU time, 1 thread" if args.cpu_time else "wall clock")
    try:
        import torch

        result["machine"]["torch"] = torch.__version__
    except ImportError:
        result["machine"]["torch"] = None
    if not args.no_layers:
        result["layers"] = bench_layers(args.repeats, not args.no_torch, progress, args.gap)
    if not (args.layers_only or args.no_notebooks):
        result["notebooks"] = bench_notebooks(args.notebooks, progress)
    if not (args.layers_only or args.no_explorers):
        result["explorers"] = bench_explorers(args.explorer_repeats, progress, args.explorers)
    print_tables(result)
    write_results(result, Path(args.out))
    print(f"\nwritten: {args.out}/bench.json and bench_*.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
