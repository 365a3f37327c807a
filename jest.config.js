/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // .js too: ESM-only packages listed in transformIgnorePatterns (jose) are compiled to CommonJS for jest.
    // .tsx: the console's server-rendered pages (JSX through preact's automatic runtime, rendered to strings).
    "^.+\\.tsx$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", tsx: true, decorators: true },
          transform: { react: { runtime: "automatic", importSource: "preact" } },
          target: "es2022",
        },
        module: { type: "commonjs", ignoreDynamic: true },
      },
    ],
    "^.+\\.(ts|js)$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: "es2022",
        },
        module: { type: "commonjs", ignoreDynamic: true },
      },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!(jose|oidc-provider|openid-client|oauth4webapi)/)"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  setupFiles: ["<rootDir>/test/support/env.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
};
