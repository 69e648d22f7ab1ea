"""The build folder's outputs, replaced as one unit, and its lock.

    OUT/.lock                    held (fcntl.flock) by the one build writing into OUT
    OUT/.current -> .build-XXXX  the last good output set
    OUT/.build-XXXX/             graph.ttl, graph.trig, store/, views/ (and atlas/ with --atlas) of one build
    OUT/graph.ttl -> .current/graph.ttl   (and graph.trig, store, views, atlas likewise)

A build stages everything in a new .build-XXXX folder and, only once all of it is written,
points .current at it with one rename: readers see the old set or the new one, never a mix,
whenever the build is killed. What a killed build leaves (staging folders, the previous set,
temporary links, the store.old of older versions) is removed by the next build, which reports it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KgError

OUTPUTS = ("graph.ttl", "graph.trig", "store", "views")  # what a default build writes
ON_REQUEST = ("atlas",)  # written only when asked for (kg build --atlas), published the same way
CURRENT = ".current"
STAGING_PREFIX = ".build-"
# debris of older layouts and of interrupted writes: store.old and .store-* (load_store's swap),
# .graph.ttl.*.tmp (atomic_write), .current.new and .NAME.link (this module's renames)
_DEBRIS = ("store.old", ".store-", ".graph.", f"{CURRENT}.new") + tuple(f".{n}.link" for n in OUTPUTS + ON_REQUEST)


class BuildLocked(KgError):
    """Another build holds the folder: the user waits or picks another --out."""

    exit_code = 2


@contextmanager
def build_lock(out: Path):
    """Hold OUT/.lock for the block; a second build into OUT exits 2 at once. The kernel drops
    the lock when its process dies, so a killed build never leaves a stale one."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"{out}: another kg build is writing into this folder ({out / '.lock'}); "
                              "wait for it to finish or use another --out") from None
        yield


def current_set(out: Path) -> Path | None:
    link = out / CURRENT
    return out / os.readlink(link) if link.is_symlink() else None


def clean_leftovers(out: Path) -> list[str]:
    """Remove what interrupted builds left in OUT (the lock must be held); returns their names."""
    live = current_set(out)
    removed = []
    for entry in sorted(out.iterdir()):
        name = entry.name
        stale_set = name.startswith(STAGING_PREFIX) and entry != live
        if stale_set or name.startswith(_DEBRIS):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(name)
    return removed


def new_staging(out: Path) -> Path:
    staged = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    staged.chmod(0o755)  # mkdtemp makes it 0700; the outputs are for everyone who can read OUT
    return staged


def publish(out: Path, staged: Path, checkpoint=lambda name: None) -> None:
    """Make `staged` the current output set in one rename, link OUT/NAME to it, drop the old set."""
    previous = current_set(out)
    new_link = out / f"{CURRENT}.new"
    new_link.unlink(missing_ok=True)
    os.symlink(staged.name, new_link)
    checkpoint("swap")
    os.replace(new_link, out / CURRENT)
    checkpoint("swapped")
    for name in OUTPUTS + ON_REQUEST:
        _link(out, name, present=(staged / name).exists())
    if previous is not None and previous != staged:
        shutil.rmtree(previous, ignore_errors=True)


def _link(out: Path, name: str, present: bool) -> None:
    """OUT/NAME -> .current/NAME (fixed, so only .current ever changes), or no OUT/NAME when this
    build did not write it (kg build --no-views leaves no stale views beside a new graph)."""
    path, target = out / name, f"{CURRENT}/{name}"
    if not present:
        if path.is_symlink():
            path.unlink()
        return
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = out / f".{name}.link"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    if path.is_dir() and not path.is_symlink():  # a real folder from the layout before this one
        trash = out / f"{STAGING_PREFIX}old-{name}"  # cleaned as a leftover if a kill strands it
        path.rename(trash)
        shutil.rmtree(trash)
    os.replace(tmp, path)
