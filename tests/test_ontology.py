"""The ontology folder: the ontology agrees with MS and the guide, and the reference data is whole."""

import csv
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.graph import iri
from kg.graph.reference import load_reference
from kg.reference import areas_table
from kg.namespaces import MS, MSR
from kg.paths import ontology_dir
from repo_files import load_module

ONT = ontology_dir()
GUIDE = Path("/work/shared/EXTRACTION-GUIDE.md")
DATASET = Path("/work/shared/datasets/cn_admin_divisions_chongqing")
ORG = "http://www.w3.org/ns/org#"
SDO = "https://schema.org/"
CPSV = "http://purl.org/vocab/cpsv#"
NS = str(MS._NS)


def parse(name):
    return Graph().parse(ONT / name, format="turtle")


@pytest.fixture(scope="module")
def ont():
    return parse("minsheng.ttl")


@pytest.fixture(scope="module")
def areas():
    return parse("areas.ttl")


@pytest.fixture(scope="module")
def groups():
    return parse("target-groups.ttl")


def load_script(name):
    return load_module(f"scripts/{name}.py")


def zh_labels(graph, node):
    return [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "zh"]


# --- the ontology -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["minsheng.ttl", "sectors.ttl", "target-groups.ttl", "areas.ttl", "shapes.ttl"])
def test_files_parse(name):
    assert len(parse(name)) > 10


def test_ms_terms_match_ontology(ont):
    declared = {str(s)[len(NS):] for s in ont.subjects(RDF.type, None) if str(s).startswith(NS)}
    in_code = set(MS.__annotations__)
    assert declared - in_code == set(), "declared in minsheng.ttl but missing from MS"
    assert in_code - declared == set(), "in MS but not declared in minsheng.ttl"
    # No ms: term is used anywhere in the file without being declared.
    used = {str(t)[len(NS):] for triple in ont for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used <= declared


def test_every_term_documented(ont):
    for name in MS.__annotations__:
        term = MS[name]
        langs = {o.language for o in ont.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, name
        definition = ont.value(term, SKOS.definition) or ont.value(term, RDFS.comment)
        assert definition is not None and definition.language == "en" and len(definition) > 15, name


def test_guide_terms_declared(ont):
    if not GUIDE.exists():
        pytest.skip("extraction guide not available")
    # ms: terms, not the tail of dcterms:title
    guide_terms = set(re.findall(r"(?<![A-Za-z])ms:([A-Za-z]+)", GUIDE.read_text(encoding="utf-8")))
    assert len(guide_terms) > 25
    declared = {str(s)[len(NS):] for s in ont.subjects(RDF.type, None) if str(s).startswith(NS)}
    assert guide_terms - declared == set()


def test_term_kinds_and_signatures(ont):
    classes = {"Program", "AdministrativeArea", "Municipality", "District", "Subdistrict", "Community",
               "Official", "Organization", "Post", "TargetGroup", "Sector", "Indicator", "Article", "Evidence"}
    for name in classes:
        assert (MS[name], RDF.type, OWL.Class) in ont, name
    for name in ("implementedIn", "targets", "inSector", "runBy", "promotedBy", "holdsPost", "postIn",
                 "memberOf", "jurisdiction", "partOf", "measures", "mentionedIn"):
        assert (MS[name], RDF.type, OWL.ObjectProperty) in ont, name
        assert ont.value(MS[name], RDFS.range) is not None, name
    for name in ("metric", "value", "unit", "period", "sentence", "start", "end", "divisionCode", "shortName", "postTitle"):
        assert (MS[name], RDF.type, OWL.DatatypeProperty) in ont, name
        assert ont.value(MS[name], RDFS.domain) is not None, name
    assert ont.value(MS.implementedIn, RDFS.domain) == MS.Program
    assert ont.value(MS.implementedIn, RDFS.range) == MS.AdministrativeArea
    assert ont.value(MS.value, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    assert ont.value(MS.divisionCode, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#string")
    for level in (MS.Municipality, MS.District, MS.Subdistrict, MS.Community):
        assert (level, RDFS.subClassOf, MS.AdministrativeArea) in ont
    for scheme in (MS.SectorScheme, MS.TargetGroupScheme):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ont


def test_alignments(ont):
    def linked(term, target):
        return any((term, p, URIRef(target)) in ont
                   for p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, SKOS.closeMatch))

    assert linked(MS.Organization, ORG + "Organization")
    assert linked(MS.Post, ORG + "Post")
    assert linked(MS.holdsPost, ORG + "holds")
    assert linked(MS.postIn, ORG + "postIn")
    assert linked(MS.memberOf, ORG + "memberOf")
    assert (MS.TargetGroup, RDFS.subClassOf, SKOS.Concept) in ont
    assert (MS.Sector, RDFS.subClassOf, SKOS.Concept) in ont
    assert (MS.Evidence, RDFS.subClassOf, PROV.Entity) in ont
    assert (MS.Article, RDFS.subClassOf, PROV.Entity) in ont
    assert linked(MS.Program, SDO + "GovernmentService") and linked(MS.Program, CPSV + "PublicService")
    assert linked(MS.AdministrativeArea, SDO + "AdministrativeArea")
    assert linked(MS.Official, SDO + "Person")
    assert linked(MS.TargetGroup, SDO + "Audience")
    header = URIRef("https://w3id.org/minsheng-kg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ont
    assert ont.value(header, OWL.versionInfo) is not None
    for p in ("license", "title"):
        assert ont.value(header, URIRef("http://purl.org/dc/terms/" + p)) is not None


# --- sectors ----------------------------------------------------------------------------------

SECTORS = {"employment": "就业", "social-insurance": "社会保险", "elderly-care": "养老", "health": "医疗卫生",
           "education": "教育", "childcare": "托育", "social-assistance": "社会救助",
           "rural-revitalization": "乡村振兴", "housing-urban-renewal": "住房与城市更新",
           "women-children": "妇女儿童", "public-services": "公共服务"}


def test_sector_scheme():
    g = parse("sectors.ttl")
    concepts = set(g.subjects(RDF.type, MS.Sector))
    assert concepts == {iri.sector(k) for k in SECTORS}
    for key, label in SECTORS.items():
        node = iri.sector(key)
        assert list(g.objects(node, RDFS.label)) == [Literal(label, lang="zh")]
        assert {o.language for o in g.objects(node, SKOS.prefLabel)} == {"zh", "en"}
        assert (node, RDF.type, SKOS.Concept) in g
        assert (node, SKOS.inScheme, MS.SectorScheme) in g
        assert (node, SKOS.topConceptOf, MS.SectorScheme) in g


# --- target groups ----------------------------------------------------------------------------


def tsv_rows():
    with (ONT / "target-groups.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_target_group_tsv_is_clean():
    rows = tsv_rows()
    assert list(rows[0])[:3] == ["label", "broader", "altLabels"]
    assert 150 <= len(rows) <= 250
    labels = [r["label"] for r in rows]
    surfaces = labels + [a for r in rows for a in r["altLabels"].split(";") if a]
    assert len(surfaces) == len(set(surfaces)), "a surface form names two groups"
    assert all(s and s.strip() == s and "\t" not in s for s in surfaces)
    for required in ("青年", "高校毕业生", "老年人", "低保对象", "新就业形态劳动者", "外卖骑手", "心智障碍者", "罕见病患儿"):
        assert required in labels


def test_target_groups_match_tsv(groups):
    rows = tsv_rows()
    nodes = set(groups.subjects(RDF.type, MS.TargetGroup))
    assert nodes == {iri.target_group(r["label"]) for r in rows}
    for r in rows:
        node = iri.target_group(r["label"])
        assert zh_labels(groups, node) == [Literal(r["label"], lang="zh")]
        assert len(list(groups.objects(node, RDFS.label))) == 1
        assert (node, RDF.type, SKOS.Concept) in groups
        assert (node, SKOS.inScheme, MS.TargetGroupScheme) in groups
        assert {str(a) for a in groups.objects(node, SKOS.altLabel)} == {a for a in r["altLabels"].split(";") if a}
    grads, youth = iri.target_group("高校毕业生"), iri.target_group("青年")
    assert (grads, SKOS.broader, youth) in groups
    assert (iri.target_group("老年人"), SKOS.altLabel, Literal("老人", lang="zh")) in groups


def test_target_group_hierarchy(groups):
    nodes = set(groups.subjects(RDF.type, MS.TargetGroup))
    broader = dict(groups.subject_objects(SKOS.broader))
    assert len(broader) >= 15
    assert set(broader.values()) <= nodes, "skos:broader points outside the scheme"
    for start in broader:  # follow the chain: it must end, not loop
        seen, node = set(), start
        while node in broader:
            assert node not in seen, f"cycle through {node}"
            seen.add(node)
            node = broader[node]
    tops = set(groups.objects(MS.TargetGroupScheme, SKOS.hasTopConcept))
    assert tops == nodes - set(broader)


def test_target_groups_regenerate_identically(tmp_path, monkeypatch):
    module = load_script("make_target_groups")
    monkeypatch.setattr(module, "OUT", tmp_path / "tg.ttl")
    module.main()
    assert (tmp_path / "tg.ttl").read_text(encoding="utf-8") == (ONT / "target-groups.ttl").read_text(encoding="utf-8")


# --- areas ------------------------------------------------------------------------------------


def test_area_counts_and_codes(areas):
    districts = set(areas.subjects(RDF.type, MS.District))
    subdistricts = set(areas.subjects(RDF.type, MS.Subdistrict))
    assert list(areas.subjects(RDF.type, MS.Municipality)) == [iri.area("500000")]
    assert len(districts) == 38 and len(subdistricts) == 1031
    for node in districts | subdistricts | {iri.area("500000")}:
        code = str(areas.value(node, MS.divisionCode))
        assert node == iri.area(code)
        assert len(list(areas.objects(node, RDFS.label))) == 1 and len(zh_labels(areas, node)) == 1
    for node in districts:
        assert re.fullmatch(r"50\d{4}", str(areas.value(node, MS.divisionCode)))
        assert list(areas.objects(node, MS.partOf)) == [iri.area("500000")]
    for node in subdistricts:
        parents = list(areas.objects(node, MS.partOf))
        assert len(parents) == 1 and parents[0] in districts
        assert str(areas.value(node, MS.divisionCode)).startswith(str(parents[0]).rsplit("/", 1)[-1])


def test_areas_credit_their_source(areas):
    text = (ONT / "areas.ttl").read_text(encoding="utf-8")
    assert "57a0aa9cef47169a2eb74cf057b0245052a34e8c" in text and "WTFPL" in text and "National Bureau of Statistics" in text
    dataset = MSR["dataset/areas"]
    sources = {str(o) for o in areas.objects(dataset, URIRef("http://purl.org/dc/terms/source"))}
    assert any("modood/Administrative-divisions-of-China" in s for s in sources)


def test_short_forms(areas):
    table = {r.code: r for r in areas_table()}
    by_short = {}
    for r in table.values():
        for s in r.short_names:
            by_short.setdefault(s, []).append(r.code)
    assert by_short["涪陵"] == ["500102"]
    expected = {"石柱": "500240", "秀山": "500241", "彭水": "500243", "酉阳": "500242", "丰都": "500230", "重庆": "500000"}
    for short, code in expected.items():
        assert by_short[short] == [code]
    assert table["500233"].short_names == () and table["500115"].short_names == ()  # 忠县, 长寿区
    assert all(len(codes) == 1 for codes in by_short.values()), "a short form names two areas"
    assert all(len(s) >= 2 for s in by_short)
    for common in ("文化", "青年", "惠民", "长寿", "沙坪", "复兴"):
        assert common not in by_short
    # every short name is also an altLabel in the file
    for r in table.values():
        assert {str(o) for o in areas.objects(r.iri, SKOS.altLabel)} == set(r.short_names)


def test_areas_table_records():
    table = areas_table()
    assert len(table) == 1070
    assert [r.code for r in table] == sorted(r.code for r in table)
    fl = next(r for r in table if r.code == "500102")
    assert (fl.level, fl.label, fl.parent_code, fl.iri) == ("District", "涪陵区", "500000", iri.area("500102"))
    street = next(r for r in table if r.label == "渝碚路街道")
    assert (street.level, street.parent_code) == ("Subdistrict", "500106")


def test_areas_regenerate_identically(tmp_path, monkeypatch):
    if not DATASET.exists():
        pytest.skip("division dataset not available")
    module = load_script("make_areas")
    monkeypatch.setattr(module, "OUT", tmp_path / "areas.ttl")
    module.main(DATASET)
    assert (tmp_path / "areas.ttl").read_text(encoding="utf-8") == (ONT / "areas.ttl").read_text(encoding="utf-8")


# --- the merged reference ---------------------------------------------------------------------


def test_load_reference_is_a_fresh_copy():
    first = load_reference()
    assert (iri.area("500102"), RDF.type, MS.District) in first
    assert (iri.sector("employment"), RDF.type, MS.Sector) in first
    assert (iri.target_group("青年"), RDF.type, MS.TargetGroup) in first
    assert (MS.Program, RDF.type, OWL.Class) in first
    size = len(first)
    first.remove((None, None, None))
    assert len(load_reference()) == size


@pytest.mark.parametrize("name", ["minsheng.ttl", "sectors.ttl", "target-groups.ttl", "areas.ttl"])
def test_reference_files_read_with_oxigraph_are_rdflibs_triples(name):
    """parse_ontology_file reads with Oxigraph's parser: the same triples as rdflib's parser, with
    the same literals (language, datatype, plain) and blank nodes."""
    from rdflib.compare import to_isomorphic

    from kg.reference import parse_ontology_file

    ours = parse_ontology_file(name)
    assert len(ours) > 10
    assert to_isomorphic(ours) == to_isomorphic(parse(name))
    assert {(type(o), getattr(o, "language", None), getattr(o, "datatype", None)) for o in ours.objects()} \
        == {(type(o), getattr(o, "language", None), getattr(o, "datatype", None)) for o in parse(name).objects()}


def test_reference_blank_node_labels_are_scoped_to_their_file(tmp_path, monkeypatch):
    from kg import reference

    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text("_:x <http://example.org/p> <http://example.org/o> .\n", encoding="utf-8")
    monkeypatch.setattr(reference, "ontology_dir", lambda: tmp_path)
    both = reference.parse_ontology_file("b.ttl", reference.parse_ontology_file("a.ttl"))
    assert len(set(both.subjects())) == 2
