// Reads citations as JSON (a list of strings: BibTeX or RIS) on standard input and prints what
// citation-js makes of each, as a user's `new Cite(text)` would: the format it recognised, its
// CSL-JSON items, or the error it raised.
const { Cite } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((text) => {
    try {
      const items = new Cite(text).data;
      const format = items.length ? items[0]._graph[0].type : null;
      return { format, items: items.map(({ _graph, ...item }) => item) };
    } catch (error) {
      return { error: String(error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
