"""Toàn Trình simplifier: pure analysis of procedure models (no I/O).

``analyse(xml, catalogue, ...)`` loads a BPMN model tolerantly, checks its structure,
infers missing annotations, runs the simplification rules, scores the model before
and after, and rewrites it; ``analyse_catalogue`` does the same for many models and
ranks them. See docs/simplifier.md.
"""

from .analysis import Analysis, analyse
from .catalogue import CatalogueAnalysis, analyse_catalogue
from .load import ModelLoadError
from .rules import Finding, Saving

__all__ = [
    "Analysis",
    "CatalogueAnalysis",
    "Finding",
    "ModelLoadError",
    "Saving",
    "analyse",
    "analyse_catalogue",
]
