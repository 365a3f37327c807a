import { redactLinkToken } from "../../src/http/auth/link-redaction";

describe("invitation tokens in request logs", () => {
  it("are replaced, whatever follows them, and nothing else is touched", () => {
    expect(redactLinkToken("/auth/invitations/abcDEF_-123")).toBe("/auth/invitations/[token]");
    expect(redactLinkToken("/auth/invitations/abc?x=1")).toBe("/auth/invitations/[token]?x=1");
    expect(redactLinkToken("/AUTH/Invitations/abc/more")).toBe("/AUTH/Invitations/[token]/more");
    expect(redactLinkToken("/auth/login")).toBe("/auth/login");
    expect(redactLinkToken("/admin/v1/users/1/invitation")).toBe("/admin/v1/users/1/invitation");
  });
});
