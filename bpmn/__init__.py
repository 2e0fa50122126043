"""The shared BPMN core: namespaces, the hardened XML reader, the ``tt:`` vocabulary
with its labels, and the reader of ``tt:`` annotations.

The engine, the simplifier, the reports and the web pages all read BPMN through this
package (docs/bpmn.md). It imports only the standard library and lxml.
"""
