"""The logic of ``build_edition.py``'s commands that needs more than one package: ``check``
(every source a pull request can change, without Sphinx), ``report`` (what the apparatus
covers) and the watching behind ``serve``. ``build_edition.py`` parses the arguments and
prints; these modules decide.
"""
