// Configurations for the choice tests: a target tenant, another tenant, the target's organization, and two kinds of
// configuration (secrets unread, or read with a CompanyId).
import { toConfiguration } from "../../src/model/configuration.js";

export const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
export const OTHER = "7c3e9a15-2b8d-4f61-a0c4-5e9d8b7f6a21";
export const fabrikam = [{ id: "o", displayName: "Fabrikam", verifiedDomains: [{ name: "fabrikam.onmicrosoft.com" }] }];
export const sp = (id: string, displayName: string) => ({ id, displayName });
export const unread = (id: string, name: string) => toConfiguration(sp(id, name), undefined);
export const withCompany = (id: string, name: string, companyId: string) => toConfiguration(sp(id, name), [{ key: "CompanyId", value: companyId }]);
