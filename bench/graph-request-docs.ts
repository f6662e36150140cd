// The Microsoft document each Graph request of docs/graph-requests.md follows, by "METHOD version path" or "METHOD path".
const V1 = (page: string) => `docs-contrib \`api-reference/v1.0/api/${page}.md\``;
const BETA = (page: string) => `docs-contrib \`api-reference/beta/api/${page}.md\``;
const CTS_GRAPH = "entra-docs `docs/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph.md`";
const XTAP = "/policies/crossTenantAccessPolicy";
const JOB = "/servicePrincipals/{id}/synchronization/jobs/{jobId}";

/** Paths are templates as the table shows them; a "METHOD version path" entry wins over a "METHOD path" one. */
export const MICROSOFT_DOCUMENTS: Record<string, string> = {
  "POST /$batch": "docs-contrib `concepts/json-batching.md`",
  "GET /auditLogs/directoryAudits": V1("directoryaudit-list"),
  "GET /auditLogs/provisioning": V1("provisioningobjectsummary-list"),
  "GET /directory/deletedItems/microsoft.graph.user": V1("directory-deleteditems-list"),
  "GET /groups/{id}/memberOf/microsoft.graph.group": V1("group-list-memberof"),
  "GET /groups/{id}/members": V1("group-list-members"),
  "GET /organization": V1("organization-list"),
  "GET /policies/authorizationPolicy": V1("authorizationpolicy-get"),
  "PATCH /policies/authorizationPolicy": V1("authorizationpolicy-update"),
  [`GET ${XTAP}`]: V1("crosstenantaccesspolicy-get"),
  [`GET ${XTAP}/default`]: V1("crosstenantaccesspolicyconfigurationdefault-get"),
  [`POST ${XTAP}/partners`]: V1("crosstenantaccesspolicy-post-partners"),
  [`GET ${XTAP}/partners/{tenantId}`]: V1("crosstenantaccesspolicyconfigurationpartner-get"),
  [`PATCH ${XTAP}/partners/{tenantId}`]: V1("crosstenantaccesspolicyconfigurationpartner-update"),
  [`GET v1.0 ${XTAP}/partners/{tenantId}/identitySynchronization`]: V1("crosstenantidentitysyncpolicypartner-get"),
  [`GET beta ${XTAP}/partners/{tenantId}/identitySynchronization`]: `${BETA("crosstenantidentitysyncpolicypartner-get")} (groupSyncInbound)`,
  [`PUT v1.0 ${XTAP}/partners/{tenantId}/identitySynchronization`]: `${V1("crosstenantaccesspolicyconfigurationpartner-put-identitysynchronization")}; ${CTS_GRAPH}, Step 2`,
  [`PUT beta ${XTAP}/partners/{tenantId}/identitySynchronization`]: BETA("crosstenantaccesspolicyconfigurationpartner-put-identitysynchronization"),
  [`PATCH ${XTAP}/partners/{tenantId}/identitySynchronization`]: `${V1("crosstenantidentitysyncpolicypartner-update")}; ${CTS_GRAPH}, Troubleshooting`,
  [`DELETE v1.0 ${XTAP}/partners/{tenantId}/identitySynchronization`]: `${V1("crosstenantidentitysyncpolicypartner-delete")} (undo of a policy remediation created)`,
  "GET beta /policies/externalIdentitiesPolicy": BETA("externalidentitiespolicy-get"),
  "GET /servicePrincipals": V1("serviceprincipal-list"),
  "GET /servicePrincipals/{id}/appRoleAssignedTo": V1("serviceprincipal-list-approleassignedto"),
  "GET /servicePrincipals/{id}/synchronization/jobs": V1("synchronization-synchronization-list-jobs"),
  [`GET ${JOB}`]: V1("synchronization-synchronizationjob-get"),
  [`GET ${JOB}/schema`]: V1("synchronization-synchronizationschema-get"),
  [`POST ${JOB}/pause`]: V1("synchronization-synchronizationjob-pause"),
  [`POST ${JOB}/provisionOnDemand`]: V1("synchronization-synchronizationjob-provisionondemand"),
  [`POST ${JOB}/restart`]: V1("synchronization-synchronizationjob-restart"),
  [`POST ${JOB}/start`]: V1("synchronization-synchronizationjob-start"),
  [`POST ${JOB}/validateCredentials`]: V1("synchronization-synchronizationjob-validatecredentials"),
  "POST /servicePrincipals/{id}/synchronization/jobs/validateCredentials": V1("synchronization-synchronizationjob-validatecredentials"),
  // Not in the v1.0 API description (only PUT is); the one published GET is on beta.
  "GET v1.0 /servicePrincipals/{id}/synchronization/secrets":
    "none in v1.0 (the CSDL has only PUT); entra-docs `docs/identity/app-provisioning/skip-out-of-scope-deletions.md` (beta GET)",
  "GET beta /servicePrincipals/{id}/synchronization/secrets": "entra-docs `docs/identity/app-provisioning/skip-out-of-scope-deletions.md`",
  "PUT /servicePrincipals/{id}/synchronization/secrets": `${V1("synchronization-serviceprincipal-put-synchronization")}; entra-docs \`docs/identity/app-provisioning/skip-out-of-scope-deletions.md\``,
  "GET /subscribedSkus": V1("subscribedsku-list"),
  "GET /users": V1("user-list"),
  "GET /users/{id}": V1("user-get"),
  "GET /users/{id}/appRoleAssignments": V1("user-list-approleassignments"),
  "GET /users/{id}/memberOf/microsoft.graph.group": V1("user-list-memberof"),
  "GET /users/{id}/authentication/phoneMethods": V1("authentication-list-phonemethods"),
  "POST /users/{id}/authentication/phoneMethods/{id}/disableSmsSignIn": V1("phoneauthenticationmethod-disablesmssignin"),
  "POST /users/{id}/authentication/phoneMethods/{id}/enableSmsSignIn": V1("phoneauthenticationmethod-enablesmssignin"),
};
