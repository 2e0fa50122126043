"""The JSON reports: the analysis as data (keys in English, for programs)."""

from __future__ import annotations

import json

from ..analysis import Analysis
from ..catalogue import CatalogueAnalysis


def to_json(analysis: Analysis) -> str:
    return json.dumps(analysis.as_dict(), ensure_ascii=False, indent=2, default=str)


def catalogue_json(cat: CatalogueAnalysis) -> str:
    return json.dumps(cat.as_dict(), ensure_ascii=False, indent=2, default=str)
