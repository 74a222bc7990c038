"""Files the commands write on the admin's machine: ``init``'s config, ``--output``, ``--report``.

A path that cannot be written, or that is the command's own config file, is found before a
command sends anything (``check_writable``), so a sync is never run for a report it cannot keep
and never writes its report over its config; and a file is written whole or not at all
(``replacing``: a temporary file beside it, renamed over it at the end), so a full disk, a kill
or an error halfway never leaves half a config or half a report where the old one was. A
symbolic link is written through (the link stays, its target gets the content), and a path
that is no regular file (``/dev/stdout``, a pipe) is written into as it is, never replaced.

May import: errors.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from confluence_sync.errors import EXIT_USAGE, ConfluenceSyncError


class OutputError(ConfluenceSyncError):
    """A file the command should write cannot be written (exit 2: fix the path and run again)."""

    exit_code = EXIT_USAGE


def _refused(path: Path, what: str, reason: str) -> OutputError:
    return OutputError(
        f"cannot write {what} {path}: {reason}",
        hint="give a path in a folder you can write to",
    )


def check_writable(path: Path, what: str, *, config: Path | None = None) -> None:
    """Raise ``OutputError`` unless ``path`` can be written: it is not a folder, not the
    command's ``config``, and the nearest folder above it that exists is one this process may
    write into (missing folders below it are made when the file is written)."""
    if path.is_dir():
        raise _refused(path, what, "it is a folder")
    if config is not None and path.exists() and config.exists() and path.samefile(config):
        raise OutputError(
            f"cannot write {what} {path}: it is the config file {config}",
            hint="give another path; the config is never written over",
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise _refused(path, what, "permission denied")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise _refused(path, what, f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refused(path, what, f"permission denied in {folder}")


@contextmanager
def replacing(path: Path, what: str) -> Iterator[IO[str]]:
    """A text file to write ``path``'s new content into (UTF-8); it becomes ``path`` when the
    block ends without an error, and is removed otherwise. ``OSError`` becomes ``OutputError``."""
    with _swapped(path, what) as temporary, temporary.open("w", encoding="utf-8") as sink:
        yield sink


@contextmanager
def replacing_bytes(path: Path, what: str) -> Iterator[IO[bytes]]:
    """``replacing`` for bytes."""
    with _swapped(path, what) as temporary, temporary.open("wb") as sink:
        yield sink


def _special(path: Path) -> bool:
    """An existing path that is no regular file (a device, a pipe): written into, not swapped."""
    return path.exists() and not path.is_file()


@contextmanager
def _swapped(path: Path, what: str) -> Iterator[Path]:
    """An empty file beside ``path`` that is renamed over it when the block succeeds (through a
    symbolic link: onto its target); ``path`` itself when it is a device or a pipe."""
    if _special(path):  # checked through links: /dev/stdout is a link to the process's fd
        try:
            yield path
        except OSError as error:
            raise _refused(path, what, error.strerror or str(error)) from None
        return
    path = path.resolve() if path.is_symlink() else path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
    except OSError as error:
        raise _refused(path, what, error.strerror or str(error)) from None
    temporary = Path(name)
    try:
        yield temporary
        if path.exists():  # keep the old file's mode (a config may be private to its owner)
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:  # mkstemp's 0600, widened as a plain open() would have made it
            os.chmod(temporary, 0o666 & ~_umask())
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _refused(path, what, error.strerror or str(error)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: str | bytes, what: str) -> None:
    """Write ``data`` to ``path`` whole or not at all (see ``replacing``)."""
    if isinstance(data, bytes):
        with replacing_bytes(path, what) as raw:
            raw.write(data)
    else:
        with replacing(path, what) as text:
            text.write(data)


def _umask() -> int:
    # os.umask only sets; set and restore to read it (commands are single-threaded here).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
