"""Applying a plan: the only part of the engine that writes.

- ``applier``: order, worker threads, one space after another or side by side;
- ``runner``: one change at a time: its result, stopping (Ctrl-C, a lost lock, a refusal);
- ``grants``: a space's permission grants, batched where the site takes a batch;
- ``pages``: page creates, updates, archives, and the marker where one proves ownership;
- ``ledger``: each working group's index property at the end of a run;
- ``lock``: the run lock on the hub's index (one sync per network at a time), and
  ``lock_state``: whether a lock found there still counts (expiry, a gone process, its promise);
- ``books``: what the run has done so far, shared by the three above;
- ``results``: what became of each plan item.

May import: errors, wiki, wanted, state, plan, backends, digest.
"""
