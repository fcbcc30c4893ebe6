"""kg: a knowledge graph of the citations inside Vietnamese Communist Party documents.

    >>> import kg
    >>> ex = kg.extract("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị …")
    >>> ex.documents[0].symbol
    '01-KL/TW'
"""
from . import collector, recache

with collector.paused():  # imports make no garbage (kg.collector)
    recache.install()  # before the modules below compile their patterns
    from .extract import extract
    from .models import Citation, Conflict, Document, Extraction, Relation, SourceDocument

__all__ = ["extract", "Citation", "Conflict", "Document", "Extraction", "Relation", "SourceDocument"]
__version__ = "0.1.0"
