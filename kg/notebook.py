"""Small helpers the notebooks share (notebooks/): where the build is, query results as pandas
DataFrames, a Chinese font for matplotlib. pandas and matplotlib come with the `test` and
`notebooks` extras, not with the core package, so they are imported where they are used."""

from __future__ import annotations

import os
from pathlib import Path

#: Fonts with Chinese glyphs, simplified-Chinese faces first.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC", "Microsoft YaHei",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Noto Sans CJK JP")


def repo_root(start: Path | None = None) -> Path:
    """The folder with pyproject.toml at or above `start` (default: the working directory)."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "corpus").is_dir():
            return folder
    raise FileNotFoundError(f"{here}: not inside the minsheng-kg repository (no pyproject.toml and corpus/ above)")


def build_dir() -> Path:
    """$KG_BUILD_DIR, or build/ in the repository; built from corpus/ first if it has no store yet."""
    root = repo_root()
    build = Path(os.environ.get("KG_BUILD_DIR", root / "build"))
    if not (build / "store").is_dir():
        from kg.build import build as run_build, format_summary

        print(format_summary(run_build([root / "corpus"], build)))
    return build


def frame(solutions):
    """SPARQL SELECT results (pyoxigraph QuerySolutions) as a DataFrame of plain values."""
    import pandas as pd

    columns = [v.value for v in solutions.variables]
    return pd.DataFrame([[s[c].value if s[c] is not None else None for c in columns] for s in solutions],
                        columns=columns)


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese: pick an installed CJK font, and turn its "Glyph … missing
    from font" warning into an error so that tofu boxes cannot pass unnoticed. Returns the font."""
    import warnings

    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    def known() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    if not known() & set(CJK_FONTS):  # installed after matplotlib cached its font list
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name for k in ("CJK", "SourceHan", "PingFang", "msyh", "wqy", "simhei")):
                font_manager.fontManager.addfont(path)
    name = next((f for f in CJK_FONTS if f in known()), None)
    if name is None:
        raise RuntimeError("no Chinese font found for matplotlib: install one (Debian: apt-get install fonts-noto-cjk)")
    plt.rcParams["font.family"] = name
    plt.rcParams["axes.unicode_minus"] = False
    warnings.filterwarnings("error", message=r"Glyph .* missing from font")
    return name
