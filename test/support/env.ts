// Runs in every test worker before the test files load.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
