"""Toàn Trình engine: runs procedures (thủ tục hành chính) as BPMN on SpiffWorkflow.

Stages follow the data: ``parsing`` (BPMN → specs, once per version) → ``runtime`` (safe
scripts, connectors, forms) → ``persistence`` (dossiers, events, timers, messages) →
``scheduler`` (timers and message routing for workers).
"""
