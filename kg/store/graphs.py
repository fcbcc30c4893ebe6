"""The names of kg's graphs in a store, and the IRIs the store code writes.

One named graph per report (its IRI is the report's), and graphs of kg's own: the ontology, the
documents graph (what all reports say about each document, `kg.rdf.DOCUMENTS_GRAPH`), the derived
identity, lineage and index graphs (`kg.store.derived`), and the meta graph, where a load keeps
its journal.
"""
from __future__ import annotations

import pyoxigraph as ox

from .. import tables
from ..rdf import KG, PREFIXES, VOCAB

ONTOLOGY_GRAPH = VOCAB + "graph/ontology"
ONTOLOGY_DIR = tables.shipped("ontology")
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
DCT_SOURCE = "http://purl.org/dc/terms/source"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
OA_HAS_BODY = "http://www.w3.org/ns/oa#hasBody"

IDENTITY_GRAPH = VOCAB + "graph/identity"
META_GRAPH = VOCAB + "graph/meta"
STALE = (ox.NamedNode(VOCAB + "store"), ox.NamedNode(VOCAB + "ontology#summaryStale"), ox.Literal("true"))
#: In the meta graph: a report being written in a batch (``<report> kg:loading true``) and a
#: document whose facts must be rebuilt because a report citing it went (``kg:needsRefresh``).
#: Each is written before the change it guards, so a killed load leaves a trail to finish.
LOADING = KG + "loading"
NEEDS_REFRESH = KG + "needsRefresh"
#: ``kg:store kg:needsRebuild true``: the whole documents graph must be rebuilt (a killed batch
#: was undone: what it had added there is unknown).
NEEDS_REBUILD = KG + "needsRebuild"
LINEAGE_GRAPH = VOCAB + "graph/lineage"
INDEX_GRAPH = VOCAB + "graph/index"
