"""The embedded on-disk Oxigraph store (build/store/) that queries read, never re-parsing Turtle."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError


def load_store(trig_path: Path, store_dir: Path) -> int:
    """Bulk-load graph.trig (or any RDF dataset file, by its extension) into a new store, then
    swap it in: a failed load leaves the old one."""
    store_dir = Path(store_dir)
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=store_dir.parent))
    try:
        store = ox.Store(str(tmp))
        fmt = ox.RdfFormat.from_extension(Path(trig_path).suffix.lstrip(".")) or ox.RdfFormat.TRIG
        store.bulk_load(path=str(trig_path), format=fmt)
        store.flush()
        count = len(store)
        del store
        old = store_dir.with_name(store_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)  # left by a load killed at the swap
        if store_dir.exists():
            store_dir.rename(old)
        tmp.rename(store_dir)
        shutil.rmtree(old, ignore_errors=True)
        return count
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def open_store(build_dir: Path = Path("build")) -> ox.Store:
    """The built store, read-only; a clear error when there is none yet."""
    path = Path(build_dir) / "store"
    if not path.is_dir():
        raise KgError(f"{path}: no store yet; run `kg build` first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise KgError(f"{path}: cannot open the store ({exc})") from None
