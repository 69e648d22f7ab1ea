"""Where the project's data files live, in a checkout or in an installed wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = PACKAGE_DIR.parent


def ontology_dir() -> Path:
    """The ontology folder: `ontology/` in a checkout, `kg/_ontology/` in a wheel."""
    bundled = PACKAGE_DIR / "_ontology"
    return bundled if bundled.is_dir() else _REPO_ROOT / "ontology"
