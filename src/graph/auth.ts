// One credential per tenant from its auth block; secrets come from env or files only, never from argv or the config.
import { readFileSync } from "node:fs";
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  InteractiveBrowserCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { CLOUDS } from "../config/clouds.js";
import type { TenantConfig } from "../config/schema.js";
import { CtsError } from "../errors.js";
import { registerSecret } from "./scrub.js";

function readSecretFile(file: string, what: string): string {
  try {
    const value = (file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8")).trim();
    if (!value) throw new Error("empty");
    registerSecret(value);
    return value;
  } catch (err) {
    throw new CtsError(
      "SECRET_MISSING",
      `${what}: cannot read ${file === "-" ? "standard input" : file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function readEnv(name: string, what: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new CtsError("SECRET_MISSING", `${what}: environment variable ${name} is not set`);
  registerSecret(value);
  return value;
}

/** A bearer token obtained elsewhere (or minted for the emulator). */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {
    registerSecret(token);
  }
  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

/** Build the credential for one tenant. `label` ("source"/"target") names the tenant in errors. */
export function createCredential(tenant: TenantConfig, label: string): TokenCredential {
  const { tenantId, auth } = tenant;
  const authorityHost = CLOUDS[tenant.cloud].authorityHost;
  const what = `${label} auth (${auth.method})`;
  switch (auth.method) {
    case "access-token":
      return new StaticTokenCredential(auth.tokenEnv ? readEnv(auth.tokenEnv, what) : readSecretFile(auth.tokenFile ?? "", what));
    case "client-secret": {
      const secret = auth.secretEnv ? readEnv(auth.secretEnv, what) : readSecretFile(auth.secretFile ?? "", what);
      return new ClientSecretCredential(tenantId, auth.clientId, secret, { authorityHost });
    }
    case "client-certificate": {
      const certificatePassword = auth.certificatePasswordEnv ? readEnv(auth.certificatePasswordEnv, what) : undefined;
      return new ClientCertificateCredential(
        tenantId,
        auth.clientId,
        { certificatePath: auth.certificatePath, ...(certificatePassword ? { certificatePassword } : {}) },
        { authorityHost, sendCertificateChain: auth.sendCertificateChain ?? false },
      );
    }
    case "device-code":
      return new DeviceCodeCredential({
        tenantId,
        clientId: auth.clientId,
        authorityHost,
        // The default callback prints to stdout, which is reserved for machine output.
        userPromptCallback: (info) => void process.stderr.write(`[${label}] ${info.message}\n`),
      });
    case "interactive":
      return new InteractiveBrowserCredential({ tenantId, clientId: auth.clientId, authorityHost, ...(auth.loginHint ? { loginHint: auth.loginHint } : {}) });
    case "azure-cli":
      return new AzureCliCredential({ tenantId });
    case "managed-identity":
      return auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential();
    case "workload-identity":
      return new WorkloadIdentityCredential({
        tenantId,
        clientId: auth.clientId,
        authorityHost,
        ...(auth.tokenFilePath ? { tokenFilePath: auth.tokenFilePath } : {}),
      });
  }
}

/** Decode a JWT's payload without verifying it (used to check the token is for the configured tenant). */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length < 2 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return payload && typeof payload === "object" ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
