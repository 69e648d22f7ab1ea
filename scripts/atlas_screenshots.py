"""Takes the README's screenshots of the atlas (docs/img/atlas-map.png, docs/img/atlas-program.png)
in headless Chromium (tests/browser.py), from an atlas `kg atlas` wrote:

    kg build corpus --atlas && python scripts/atlas_screenshots.py build/atlas
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import Chromium, require_chromium  # noqa: E402

from kg.atlas.data import page_path  # noqa: E402
from kg.graph import iri  # noqa: E402

SHOTS = {"atlas-map.png": "index.html", "atlas-program.png": page_path(str(iri.program("社会救助服务联合体")))}


def main(atlas: Path) -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with Chromium(require_chromium(), width=1280, height=900) as browser:
        page = browser.new_page()
        for name, rel in SHOTS.items():
            page.goto((atlas / rel).resolve().as_uri())
            time.sleep(0.5)  # fonts settle; a screenshot, not a measurement
            if page.console_errors():
                raise SystemExit(f"{rel}: {page.console_errors()}")
            png = page.screenshot(out / name)
            print(f"wrote {out / name} ({len(png) // 1024} KB)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/atlas"))
