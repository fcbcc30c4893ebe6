"""Stage 8: the persistent store (Oxigraph).

A local Oxigraph database (pyoxigraph, RocksDB on disk) by default, or any SPARQL 1.1 server
(Update + Graph Store Protocol) when the location is an http(s) URL. One named graph per
report, keyed by the hash of the report's bytes; the ontology and the SKOS schemes in a graph
of their own. Reports are written in batches, journalled in a meta graph so that a batch a
killed load leaves half-written is undone by the next load: a report is fully in or fully out.
"""
from __future__ import annotations

import os

from .base import RECOUNT, StoreError, recount_updates  # noqa: F401
from .derived import (FIRST_PAGE, MOST_CITED, RELATION_NAMES, TOP_REPORTS, UNDATED, document_iris,  # noqa: F401
                      identity_quads, index_quads, lineage_quads, ontology_quads)
from ..rdf import DOCUMENTS_GRAPH  # noqa: F401
from .graphs import (DCT_SOURCE, IDENTITY_GRAPH, INDEX_GRAPH, LINEAGE_GRAPH, LOADING,  # noqa: F401
                     META_GRAPH, NEEDS_REBUILD, NEEDS_REFRESH, ONTOLOGY_DIR, ONTOLOGY_GRAPH, RDF_TYPE, SPARQL_PREFIXES,
                     STALE)
from .local import LocalStore, store_lock  # noqa: F401
from .remote import RemoteStore, endpoints, server_auth  # noqa: F401

__all__ = ["DCT_SOURCE", "DEFAULT_STORE", "DOCUMENTS_GRAPH", "FIRST_PAGE", "IDENTITY_GRAPH", "INDEX_GRAPH", "LINEAGE_GRAPH",
           "LOADING", "LocalStore", "META_GRAPH", "MOST_CITED", "NEEDS_REBUILD", "NEEDS_REFRESH", "ONTOLOGY_DIR",
           "ONTOLOGY_GRAPH", "RDF_TYPE", "RECOUNT", "RELATION_NAMES", "RemoteStore", "SPARQL_PREFIXES", "STALE",
           "StoreError", "TOP_REPORTS", "UNDATED", "document_iris", "endpoints", "identity_quads", "index_quads",
           "lineage_quads", "ontology_quads", "open_store", "recount_updates", "server_auth", "store_location",
           "store_lock"]

DEFAULT_STORE = "./kg-store"


def store_location(location: str | None) -> str:
    return location or os.environ.get("KG_STORE") or DEFAULT_STORE


def open_store(location: str | None = None, *, read_only: bool = False, must_exist: bool = False,
               update_endpoint: str | None = None, graph_store: str | None = None, timeout: float | None = None):
    """A LocalStore for a folder, a RemoteStore for an http(s) URL (its query endpoint; see
    `endpoints` for the update and Graph Store endpoints)."""
    loc = store_location(location)
    if loc.startswith(("http://", "https://")):
        return RemoteStore(loc, update_endpoint=update_endpoint, graph_store=graph_store, timeout=timeout)
    return LocalStore(loc, read_only=read_only, must_exist=must_exist or read_only)
