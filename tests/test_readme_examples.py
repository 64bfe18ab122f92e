"""The README's shell examples run, in order, in a scratch folder holding data/sample.

Each ``graphlink ...`` line of a ``sh`` block is run through the installed
console script; only the 10M-request synth example is left out (minutes).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIP = ("--preset large",)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not README.is_file(), reason="needs the source tree's README.md and data/"),
]


def _examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.split(r"\s{2,}#", line)[0].strip()
            if line.startswith("graphlink") and not any(s in line for s in SKIP):
                lines.append(line)
    return lines


def _graphlink() -> str:
    exe = Path(sys.executable).with_name("graphlink")
    return str(exe) if exe.exists() else shutil.which("graphlink") or "graphlink"


def test_readme_has_examples():
    assert len(_examples()) > 30


def test_readme_examples_run_in_order(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHLINK_")}
    failures = []
    for line in _examples():
        argv = shlex.split(line.split(">")[0])
        argv[0] = _graphlink()
        proc = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            failures.append(f"{line}\n  exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
    assert not failures, "README examples failed:\n" + "\n".join(failures)
