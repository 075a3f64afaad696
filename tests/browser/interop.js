// Two independent implementations of the W3C TextQuoteSelector, bundled for the page by
// esbuild in the tests: Apache Annotator and dom-anchor-text-quote.
import { createTextQuoteSelectorMatcher } from "@apache-annotator/dom";
import * as textQuote from "dom-anchor-text-quote";

async function apache(root, selector) {
  const matcher = createTextQuoteSelectorMatcher(selector);
  const found = [];
  for await (const range of matcher(root)) found.push(range);
  return found;
}

function domAnchor(root, selector) {
  return textQuote.toRange(root, selector);
}

window.EditionInterop = { apache, domAnchor };
