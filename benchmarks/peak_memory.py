"""Peak resident memory of this process, sampled by a background thread (shared by the benchmarks)."""

from __future__ import annotations

import threading
import time

import psutil

__all__ = ["PeakMemory"]


class PeakMemory:
    """Samples this process's RSS every *every* seconds.

    ``take()`` returns the peak since the last take (or since start) and
    starts a new interval; ``stop()`` ends sampling and returns the peak of
    the last interval.
    """

    def __init__(self, every: float = 0.02):
        self._proc = psutil.Process()
        self._peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, self._proc.memory_info().rss)
            time.sleep(self._every)

    def take(self) -> int:
        peak = max(self._peak, self._proc.memory_info().rss)
        self._peak = 0
        return peak

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def stop(self) -> int:
        peak = self.take()
        self.close()
        return peak
