"""The safe script and expression sandbox (BPMN scripts, conditions, timer expressions…).

Three lines of defence, each its own module:

* :mod:`toantrinh.engine.safescript.language` — the allow-list: a small Python subset checked on
  its syntax tree (at deploy and before running), with size guards compiled into every
  operator and method that can allocate without bound in one call;
* :mod:`toantrinh.engine.safescript.inline` — the *tiny language* that runs in the caller's
  process: straight-line expressions and assignments over small values, which cannot
  call anything costly (most gateway conditions, timer expressions and scripts of a
  procedure library);
* :mod:`toantrinh.engine.safescript.pool` (with :mod:`toantrinh.engine.safescript.worker`) — everything
  else runs in a worker process under operating-system limits (address space, CPU
  time, and a wall-clock deadline after which the worker is killed and replaced);

and :mod:`toantrinh.engine.safescript.bounds` bounds the data a script or expression leaves
behind (size and nesting depth) before it reaches the dossier's state.

These modules import only the standard library (the worker process loads them alone).
"""
