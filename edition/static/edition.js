// The edition's own behaviour; the page is complete without it.
