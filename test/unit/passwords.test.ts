import { hashPassword, verifyPassword } from "../../src/domain/passwords";

describe("password hashing", () => {
  it("stores scrypt hashes with a fresh salt, never the password", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("horse");
  });

  it("verifies the right password and refuses a wrong one or a foreign format", async () => {
    const stored = await hashPassword("s3cret!");
    expect(await verifyPassword("s3cret!", stored)).toBe(true);
    expect(await verifyPassword("s3cret?", stored)).toBe(false);
    expect(await verifyPassword("s3cret!", "$2b$10$abcdefghijklmnopqrstuv")).toBe(false);
  });
});
