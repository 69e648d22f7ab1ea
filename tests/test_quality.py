"""The quality gate: a build may not score below tests/quality_floor.json by more than 0.005.

The floor holds the figures of the last accepted extractor on the seed pages, both parts of
the development set and CLUENER. Raise it with `python scripts/quality_floor.py` in the same
commit as an improvement; lowering it needs `--lower` and a reason in the commit message.
"""

import json
from pathlib import Path

import pytest

from kg.eval.suite import score_cluener_dev, score_dev, score_seeds

ROOT = Path(__file__).resolve().parents[1]
FLOOR = json.loads((ROOT / "tests/quality_floor.json").read_text(encoding="utf-8"))
TOLERANCE = 0.005


@pytest.fixture(scope="module")
def current(corpus_build, tmp_path_factory):
    dev = score_dev(tmp_path_factory.mktemp("dev-eval"))
    clue = score_cluener_dev()
    return {"seed_pages": score_seeds(corpus_build).figures(), "dev_open": dev.open.figures(),
            "dev_held_out": dev.held_out.figures(),
            "cluener": {"officials_f1": clue.officials.f1, "organizations_f1": clue.organizations.f1}}


def _flatten(figures: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for k, v in figures.items():
        out.update(_flatten(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
    return out


@pytest.mark.parametrize("part", sorted(FLOOR))
def test_no_figure_falls_below_the_floor(current, part):
    floor, now = _flatten(FLOOR[part]), _flatten(current[part])
    below = {k: (now.get(k, 0.0), f) for k, f in floor.items() if now.get(k, 0.0) < f - TOLERANCE}
    assert not below, f"{part}: below the quality floor (now, floor): {below}"
