"""The edition's one declared configuration, projected into ``edition_*`` config values."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_VERSION = re.compile(r"^\d+\.\d+$")


@dataclass(frozen=True)
class EditionConfig:
    """Every setting, with its default; ``conf.py`` sets them as ``edition_<name>``."""

    source_dir: str = "source_texts"
    """Folder (relative to conf.py) with the witness, decisions and anchor ledger."""
    annotations_dir: str = "annotations"
    """Folder (relative to conf.py) with the YAML annotation files."""
    version: str = "1.0"
    """The edition's version, MAJOR.MINOR; citations name it."""
    site_url: str = ""
    """Where the edition is published, with a trailing slash; used in permalinks."""
    repository_url: str = ""
    """The public repository (for 'suggest an annotation' links)."""
    repository_branch: str = "main"
    """The branch contributions are proposed against."""
    bibliography_doc: str = "bibliography"
    """The document whose ``{bibliography}`` lists every entry; notes link to it."""
    essay_doc: str = "essay"
    """The document that holds the essay (the Changes page links into it)."""


class ConfigError(ValueError):
    pass


def validate(config: EditionConfig) -> None:
    if not _VERSION.match(config.version):
        raise ConfigError(f"edition_version must look like 1.0, not {config.version!r}")
    for name in ("site_url", "repository_url"):
        value = getattr(config, name)
        if value and not value.startswith("https://"):
            raise ConfigError(f"edition_{name} must start with https://, not {value!r}")
    if config.site_url and not config.site_url.endswith("/"):
        raise ConfigError("edition_site_url must end with '/'")


def register(app: Sphinx) -> None:
    for item in fields(EditionConfig):
        app.add_config_value(f"edition_{item.name}", item.default, "env", types=[str])
    app.connect("builder-inited", _remember_app, priority=0)


# Directives and handlers given only the environment find the application here:
# BuildEnvironment.app is deprecated (Sphinx 9) and goes in Sphinx 11.
_APPS: weakref.WeakKeyDictionary[BuildEnvironment, Sphinx] = weakref.WeakKeyDictionary()


def _remember_app(app: Sphinx) -> None:
    _APPS[app.env] = app


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application building ``env``."""
    return _APPS[env]


def from_sphinx(config: Config) -> EditionConfig:
    values = {item.name: getattr(config, f"edition_{item.name}") for item in fields(EditionConfig)}
    result = EditionConfig(**values)
    validate(result)
    return result
