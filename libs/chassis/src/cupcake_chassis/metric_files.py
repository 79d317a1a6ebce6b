"""prometheus-client's per-process files, with their room taken on disk before it is used.

With ``PROMETHEUS_MULTIPROC_DIR`` set, prometheus-client keeps each process's figures in a
file it maps into memory, made by ``truncate``: a file with no blocks behind it. The first
write to a page of it then takes a block from the disk, and on a full disk there is none:
the kernel kills the process (SIGBUS), whichever request it was answering. Here every such
file gets its blocks (``posix_fallocate``) before it is mapped, and before it grows: on a
full disk that is an ``OSError`` in the metrics publisher, which tries again next round,
and the service answers on.
"""

from __future__ import annotations

import os
import struct

from prometheus_client import mmap_dict, values

INITIAL_SIZE: int = mmap_dict._INITIAL_MMAP_SIZE  # prometheus-client's own first size


def _entry_size(key: str) -> int:
    """The bytes prometheus-client's ``MmapedDict`` takes for an entry of ``key``."""
    encoded = key.encode("utf-8")
    padded = len(encoded) + (8 - (len(encoded) + 4) % 8)
    return struct.calcsize(f"i{padded}sdd")


class AllocatedMmapedDict(mmap_dict.MmapedDict):
    """prometheus-client's ``MmapedDict``, its file's blocks allocated before they are mapped."""

    def __init__(self, filename: str, read_mode: bool = False) -> None:
        if not read_mode:
            fd = os.open(filename, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                size = os.fstat(fd).st_size
                os.posix_fallocate(fd, 0, size or INITIAL_SIZE)
            finally:
                os.close(fd)
        super().__init__(filename, read_mode)  # type: ignore[no-untyped-call]

    def _init_value(self, key: str) -> None:
        needed = self._used + _entry_size(key)
        capacity = self._capacity
        while needed > capacity:
            capacity *= 2
        if capacity != self._capacity:
            os.posix_fallocate(self._f.fileno(), 0, capacity)
        super()._init_value(key)  # type: ignore[no-untyped-call]


def metric_files_allocated() -> None:
    """Make prometheus-client allocate every per-process file it makes from now on."""
    values.MmapedDict = AllocatedMmapedDict  # type: ignore[attr-defined]


def is_allocated(path: str) -> bool:
    """Whether every byte of the file at ``path`` has its block on disk (tests)."""
    stats = os.stat(path)
    return stats.st_blocks * 512 >= stats.st_size
