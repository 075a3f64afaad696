"""What a build prints. MyST logs its whole configuration (``myst v5.2.0: MdParserConfig(…)``,
a line of some 900 characters) at the start of every build; it is shown only with ``-v``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MYST_LOGGER = "sphinx.myst_parser.sphinx_ext.main"  # sphinx.util.logging's name for myst_parser's module


class _MystConfiguration(logging.Filter):
    """Drops MyST's configuration line unless the build is verbose."""

    verbosity = 0

    def filter(self, record: logging.LogRecord) -> bool:
        return self.verbosity > 0 or "MdParserConfig(" not in record.getMessage()


_FILTER = _MystConfiguration()


def _verbosity(app: Sphinx, config: Any) -> None:
    _FILTER.verbosity = app.verbosity


def setup_console(app: Sphinx) -> None:
    logger = logging.getLogger(MYST_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    app.connect("config-inited", _verbosity)
