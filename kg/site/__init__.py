"""`kg site`: a static website of the archive that office staff open by double-click.

- `kg.site.facts`: what each page says (a document's identity, status, lược đồ, implementation
  tree, citing reports, conflicts, neighbourhood; a report's citations and statements), gathered
  from the networkx graph of `kg.graph`, as plain dicts;
- `kg.site.pages`: those facts as HTML (escaped, Vietnamese, one CSP per page, nothing outside
  the folder);
- `kg.site.build`: the folder, written page by page, only the pages whose facts changed.
"""
from .build import BuildResult, SiteError, build

__all__ = ["build", "BuildResult", "SiteError"]
