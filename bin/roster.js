#!/usr/bin/env node
// `npx roster ...`: runs the CLI from the TypeScript sources through tsx, so it never lags behind them.
require("tsx/cjs");
require("../src/cli/main.ts");
