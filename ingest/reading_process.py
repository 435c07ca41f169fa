"""One process that reads files for an ingest, watched so that no file can stop the ingest.

The process reads its files in order and sends each outcome back through a pipe, which a thread
drains at once (so the process never waits for the ingest to ask for the next file). A watchdog
thread in the ingest's process kills it when the file in hand takes longer than the time limit
or more memory than the memory limit; when it dies for any reason (killed, segfault, the
out-of-memory killer), `Reading` blames the file it was reading and starts a new one after it.
"""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from ingest.document import ParsedDocument, UnreadableDocument
from ingest.limits import MB, ReadLimits

WATCH_SECONDS = 0.25
IDLE = -1  # `current` when the process is between files
_END = None  # put on the queue when the pipe closes: every file sent, or the process died
Outcome = ParsedDocument | UnreadableDocument
ReadFunction = Callable[[Path, Path, "dict[str, str] | None", ReadLimits], Outcome]


class ReadingProcess:
    """A process reading `jobs[first:]`, and the watchdog that bounds each file's time and memory."""

    def __init__(
        self, jobs: Sequence[tuple], first: int, limits: ReadLimits, read: ReadFunction
    ) -> None:
        # fork where it is safe (Linux): it starts at once and, unlike spawn, does not run
        # the caller's main module again. The process only parses files; it never touches the
        # model or its threads.
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.limits = limits
        self._receive, send = context.Pipe(duplex=False)
        self._current = context.RawValue("q", IDLE)  # the job being read
        self._started = context.RawValue("d", 0.0)  # when it began, on the monotonic clock
        self._finished = context.RawValue("b", 0)
        self._verdict: tuple[int, str] | None = None  # the job the watchdog stopped, and why
        self.process = context.Process(
            target=_read_jobs,
            args=(jobs, first, limits, read, send, self._current, self._started, self._finished),
            name="precedent-reader",
            daemon=True,
        )
        self.process.start()
        send.close()
        self._received: queue.SimpleQueue = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=target, name=f"precedent-reader-{name}", daemon=True)
            for target, name in ((self._drain, "drain"), (self._watch, "watch"))
        ]
        for thread in self._threads:
            thread.start()

    @property
    def busy(self) -> bool:
        return self.process.is_alive() and not self._finished.value

    def outcomes(self) -> Iterator[tuple[int, Outcome]]:
        """(job number, outcome) as the process sends them, until it ends or dies."""
        while (item := self._received.get()) is not _END:
            yield item
        self.process.join()

    def _drain(self) -> None:
        try:
            while True:
                self._received.put(self._receive.recv())
        except (EOFError, OSError):
            self._received.put(_END)

    def lost_file(self) -> int | None:
        """The job the process was reading when it stopped, if it stopped mid-file."""
        if self._verdict is not None:
            return self._verdict[0]
        current = self._current.value
        return None if current == IDLE else current

    def why_stopped(self) -> str:
        if self._verdict is not None:
            return self._verdict[1]
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            hint = " (out of memory?)" if -code == signal.SIGKILL else ""
            return f"the reading process was stopped by {name} while reading this file{hint}"
        return f"the reading process failed while reading this file (exit code {code})"

    def stop(self) -> None:
        self._stopping.set()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        for thread in self._threads:
            thread.join()
        self._receive.close()

    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_SECONDS) and self.process.is_alive():
            current = self._current.value
            if current == IDLE:
                continue
            seconds = time.monotonic() - self._started.value
            if seconds > self.limits.file_timeout_seconds:
                self._kill(
                    current,
                    f"took longer than {self.limits.file_timeout_seconds:g} s to read "
                    "(setting file_timeout_seconds); the reader may hang on this file",
                )
            elif private_memory(self.process.pid) > self.limits.reader_memory_mb * MB:
                self._kill(
                    current,
                    f"needed more than {self.limits.reader_memory_mb:,.0f} MB of memory to read "
                    "(setting reader_memory_mb)",
                )

    def _kill(self, job: int, reason: str) -> None:
        if self._current.value == job:  # not moved on to the next file meanwhile
            self._verdict = (job, reason)
            os.kill(self.process.pid, signal.SIGKILL)


def private_memory(pid: int) -> int:
    """Bytes of memory the process holds alone: what it allocated since it was forked, not the
    pages it still shares with its parent. 0 where /proc cannot say."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return 0
    kilobytes = sum(int(line.split()[1]) for line in lines if line.startswith(b"Private_"))
    return kilobytes * 1024


def _read_jobs(
    jobs: Sequence[tuple],
    first: int,
    limits: ReadLimits,
    read: ReadFunction,
    send: Connection,
    current: ctypes.c_longlong,
    started: ctypes.c_double,
    finished: ctypes.c_byte,
) -> None:
    faulthandler.disable()  # a crash is reported as the file's skip reason, not a dump on stderr
    for number in range(first, len(jobs)):
        started.value = time.monotonic()  # before `current`, which the watchdog reads first
        current.value = number
        outcome = read(*jobs[number][1:], limits)
        current.value = IDLE
        send.send((number, outcome))
    finished.value = 1
    send.close()
