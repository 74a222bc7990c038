"""The wanted wiki: what the config asks for, built once and read by the planner and the
applier; the config is not consulted again after it is built.

- ``model``: the frozen values (:class:`~.model.Wanted`, spaces, pages, templates);
- ``build``: config → wanted wiki; ``render``: the page templates; ``access``: groups and
  grants; ``labels``: label names.

May import: errors, config, wiki.
"""
