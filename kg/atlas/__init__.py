"""The policy atlas: a static, offline site of the graph (one page per program, area, official,
organization, target group, sector and article, class indexes, a search box, a district map).

    write_atlas(Path("build/store"), Path("build/atlas"))     # what `kg atlas` and `kg build --atlas` run
"""

from kg.atlas.pages import AtlasSummary, write_atlas

__all__ = ["AtlasSummary", "write_atlas"]
