"""The checks of untrusted inputs, outside the annotation format: what must hold before any
source is read (no symbolic links, a sound bibliography, pages that insert no files and link
nothing unsafe), and the last line of defence, on every file a build writes. No Sphinx: the
command line runs them before Sphinx starts, and the extension runs them again inside it.
"""
