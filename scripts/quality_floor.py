"""Write tests/quality_floor.json from the current extractor's figures (the ratchet).

    python scripts/quality_floor.py            # raise: refuses if any figure would go down
    python scripts/quality_floor.py --lower    # accept a lower figure (say why in the commit)

Builds corpus/ and the development set in a temporary folder and scores them as the gate does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from kg.build import build  # noqa: E402
from kg.eval.suite import score_cluener_dev, score_dev, score_seeds  # noqa: E402

FLOOR = ROOT / "tests/quality_floor.json"


def current() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        seeds_dir = Path(tmp) / "seeds"
        build([ROOT / "corpus"], seeds_dir, views=False, store=False)
        dev = score_dev(Path(tmp) / "dev")
        clue = score_cluener_dev()
        return {"seed_pages": score_seeds(seeds_dir).figures(), "dev_open": dev.open.figures(),
                "dev_held_out": dev.held_out.figures(),
                "cluener": {"officials_f1": clue.officials.f1, "organizations_f1": clue.organizations.f1}}


def lowered(old: dict, new: dict, path: str = "") -> list[str]:
    out = []
    for k, v in old.items():
        if isinstance(v, dict):
            out += lowered(v, new.get(k, {}), f"{path}{k}.")
        elif new.get(k, 0.0) < v:
            out.append(f"{path}{k}: {v} -> {new.get(k, 0.0)}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lower", action="store_true", help="accept figures lower than the current floor")
    args = ap.parse_args()
    new = current()
    if FLOOR.exists() and not args.lower:
        down = lowered(json.loads(FLOOR.read_text(encoding="utf-8")), new)
        if down:
            sys.exit("quality_floor: figures would go down (use --lower and say why):\n  " + "\n  ".join(down))
    FLOOR.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(new, ensure_ascii=False))


if __name__ == "__main__":
    main()
