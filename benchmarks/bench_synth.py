"""Benchmark of ``graphlink synth``: wall time and peak memory for a world of a given size.

Usage::

    python benchmarks/bench_synth.py --requests 10000000
    python benchmarks/bench_synth.py --requests 1000000 --format csv --keep /tmp/world-1m

The number of accounts is chosen so that the world holds about the asked
number of requests (``graphlink.synth.accounts_for_requests``).  The world is
written to a temporary folder and deleted afterwards unless ``--keep`` names
a folder.  Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from graphlink.synth import DEFAULT_DAYS, FORMATS, accounts_for_requests, generate


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000, help="about this many requests")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, default=None, help="write here and keep the world")
    args = parser.parse_args(argv)

    accounts = accounts_for_requests(args.requests, args.days)
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-synth-"))
    began = time.perf_counter()
    result = generate(out, accounts=accounts, days=args.days, seed=args.seed, fmt=args.format,
                      overwrite=True)
    seconds = time.perf_counter() - began
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    size_mib = _size(out) / 2**20
    if args.keep is None:
        shutil.rmtree(out)
    n = result.rows["requests"]
    print(f"synth {args.format}: {accounts:,} accounts, {args.days} days -> {n:,} requests, "
          f"{result.rows['payment_methods']:,} payment rows, {len(result.campaigns):,} campaigns")
    print(f"wall time   {seconds:8.1f} s   ({n / seconds:,.0f} requests/s)")
    print(f"peak RSS    {peak_mib:8.0f} MiB")
    print(f"on disk     {size_mib:8.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
