// The documented CTS error codes are found in an error's code or its message, in every spelling the service uses.
import { describe, expect, it } from "vitest";
import { ctsErrorCode, namesCtsCode } from "../../src/model/signals.js";

describe("ctsErrorCode", () => {
  it.for([
    { code: "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure", message: "", want: "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure" },
    { code: "Microsoft Entra ID TokenExpired", message: "", want: "AzureActiveDirectoryTokenExpired" },
    {
      code: "BadRequest",
      message: "Error code: AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure Details: …",
      want: "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
    },
    { code: "BadRequest", message: "error code: externaltenantnotfound details: this tenant was not found", want: "ExternalTenantNotFound" },
    {
      code: "",
      message: "Microsoft Entra IDCrossTenantSyncPolicyCheckFailure: the target tenant …",
      want: "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
    },
    { code: "BadRequest", message: "Policy check: XAzureDirectoryB2BManagementPolicyCheckFailures", want: undefined },
    { code: "BadRequest", message: "You appear to have entered invalid credentials.", want: undefined },
  ])("$code / $message → $want", ({ code, message, want }) => {
    expect(ctsErrorCode(code, message)).toBe(want);
  });

  it("the error's own code wins over one quoted in its message; namesCtsCode sees both", () => {
    const message = "AzureActiveDirectoryTokenExpired: the identity of the calling application could not be established";
    expect(ctsErrorCode("ExternalTenantNotFound", message)).toBe("ExternalTenantNotFound");
    expect(namesCtsCode("ExternalTenantNotFound", message, "AzureActiveDirectoryTokenExpired")).toBe(true);
    expect(namesCtsCode("BadRequest", "nothing here", "AzureActiveDirectoryTokenExpired")).toBe(false);
  });
});
